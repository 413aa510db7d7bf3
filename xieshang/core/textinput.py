"""Text as people send it, brought to one form before anything checks or
stores it: the one normaliser of the platform.

Forms apply it to every text field (core.forms.NormalisedTextMixin, part of
StyledFormMixin), the API to every string of every request body, query
string and form (core.api.NormalisingParser), and the roster import to every
cell. A test (tests/text_input) finds forms and endpoints that take text any
other way.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from typing import Any

# Control characters (Cc), format characters (Cf: zero-width spaces and
# joiners, byte-order marks, bidirectional overrides, soft hyphens) and lone
# surrogates (Cs): invisible, or able to make two equal-looking names differ,
# and refused by PostgreSQL (NUL) or by the encoders (surrogates).
INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Cs"})
# Layout that people type on purpose.
KEPT_CONTROLS = frozenset("\t\n\r")


def _is_kept(character: str) -> bool:
    return character in KEPT_CONTROLS or unicodedata.category(character) not in INVISIBLE_CATEGORIES


def normalise_text(value: str) -> str:
    """Return value without invisible characters (tabs and line breaks
    stay), composed to Unicode NFC and without surrounding whitespace.

    Text that was only whitespace and invisible characters comes back
    empty, so that a required field refuses it.
    """
    if not (value.isascii() and value.isprintable()):
        value = unicodedata.normalize("NFC", "".join(filter(_is_kept, value)))
    return value.strip()


def normalise_strings(data: Any) -> Any:
    """Normalise every string in decoded JSON (lists and objects at any
    depth); object keys and other values stay as they are."""
    if isinstance(data, str):
        return normalise_text(data)
    if isinstance(data, list):
        return [normalise_strings(item) for item in data]
    if isinstance(data, Mapping):
        return {key: normalise_strings(value) for key, value in data.items()}
    return data
