"""Field messages for API input that does not fit its schema, in the user's
language.

pydantic describes each problem by a type code and a context (the limit that
was passed, the values that were expected); its own messages are English
only. This module words each code the way the platform's forms would.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

Context = Mapping[str, Any]


def _kind(word: Callable[[], str]) -> Callable[[Context], str]:
    return lambda ctx: _("Enter %(kind)s.") % {"kind": word()}


def _expected(ctx: Context) -> str:
    return _("Choose one of: %(choices)s.") % {"choices": str(ctx.get("expected", "")).replace("'", "")}


def _value_error(ctx: Context) -> str:
    # Our own validators raise ValueError with a translated sentence.
    return str(ctx.get("error", "")) or _("This value is not valid.")


def _longest_text(ctx: Context) -> str:
    limit = int(ctx.get("max_length", 0))
    return ngettext("Enter at most %(limit)d character.", "Enter at most %(limit)d characters.", limit) % {
        "limit": limit
    }


def _shortest_text(ctx: Context) -> str:
    limit = int(ctx.get("min_length", 0))
    if limit <= 1:
        return _("This field may not be empty.")
    return ngettext("Enter at least %(limit)d character.", "Enter at least %(limit)d characters.", limit) % {
        "limit": limit
    }


def _most_items(ctx: Context) -> str:
    limit = int(ctx.get("max_length", 0))
    return ngettext("Give at most %(limit)d item.", "Give at most %(limit)d items.", limit) % {"limit": limit}


def _fewest_items(ctx: Context) -> str:
    limit = int(ctx.get("min_length", 0))
    return ngettext("Give at least %(limit)d item.", "Give at least %(limit)d items.", limit) % {
        "limit": limit
    }


def _bound(message: Callable[[], str], key: str) -> Callable[[Context], str]:
    return lambda ctx: message() % {"limit": ctx.get(key, "")}


MESSAGES: dict[str, Callable[[Context], str]] = {
    "missing": lambda ctx: _("This field is required."),
    "extra_forbidden": lambda ctx: _("This field is not accepted here."),
    "string_type": _kind(lambda: pgettext("kind of value", "text")),
    "string_unicode": _kind(lambda: pgettext("kind of value", "text")),
    "string_too_short": _shortest_text,
    "string_too_long": _longest_text,
    "string_pattern_mismatch": lambda ctx: _("This value has characters that are not allowed here."),
    "int_type": _kind(lambda: _("a whole number")),
    "int_parsing": _kind(lambda: _("a whole number")),
    "int_from_float": _kind(lambda: _("a whole number")),
    "float_type": _kind(lambda: _("a number")),
    "float_parsing": _kind(lambda: _("a number")),
    "finite_number": _kind(lambda: _("a number")),
    "decimal_type": _kind(lambda: _("a number")),
    "decimal_parsing": _kind(lambda: _("a number")),
    "bool_type": _kind(lambda: _("true or false")),
    "bool_parsing": _kind(lambda: _("true or false")),
    "date_type": _kind(lambda: _("a date (YYYY-MM-DD)")),
    "date_parsing": _kind(lambda: _("a date (YYYY-MM-DD)")),
    "date_from_datetime_parsing": _kind(lambda: _("a date (YYYY-MM-DD)")),
    "date_from_datetime_inexact": _kind(lambda: _("a date (YYYY-MM-DD)")),
    "datetime_type": _kind(lambda: _("a date and time (YYYY-MM-DDTHH:MM)")),
    "datetime_parsing": _kind(lambda: _("a date and time (YYYY-MM-DDTHH:MM)")),
    "datetime_from_date_parsing": _kind(lambda: _("a date and time (YYYY-MM-DDTHH:MM)")),
    "time_type": _kind(lambda: _("a time (HH:MM)")),
    "time_parsing": _kind(lambda: _("a time (HH:MM)")),
    "list_type": _kind(lambda: _("a list")),
    "tuple_type": _kind(lambda: _("a list")),
    "set_type": _kind(lambda: _("a list")),
    "dict_type": _kind(lambda: _("an object")),
    "model_type": _kind(lambda: _("an object")),
    "model_attributes_type": _kind(lambda: _("an object")),
    "uuid_type": _kind(lambda: _("an identifier")),
    "uuid_parsing": _kind(lambda: _("an identifier")),
    "too_short": _fewest_items,
    "too_long": _most_items,
    "greater_than": _bound(lambda: _("Enter a value greater than %(limit)s."), "gt"),
    "greater_than_equal": _bound(lambda: _("Enter a value of at least %(limit)s."), "ge"),
    "less_than": _bound(lambda: _("Enter a value less than %(limit)s."), "lt"),
    "less_than_equal": _bound(lambda: _("Enter a value of at most %(limit)s."), "le"),
    "enum": _expected,
    "literal_error": _expected,
    "value_error": _value_error,
    "assertion_error": _value_error,
}


def field_message(error: Mapping[str, Any]) -> str:
    """The user's-language message for one pydantic error (type, ctx)."""
    word = MESSAGES.get(str(error.get("type", "")))
    if word is None:
        return _("This value is not valid.")
    return word(error.get("ctx") or {})
