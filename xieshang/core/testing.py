"""Test helpers shared by every app: the permission matrix, the check that
a refusal changed nothing, the same-404 check, an HTML reader, a JSON
client, and calls started at once in threads (for races).

Personas themselves, and their actors, are built in conftest.py (they need
the councils app); this module stays at the bottom layer and knows only HTTP
clients and the kernel's own tables.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import connection, models
from django.db.models import QuerySet
from django.test import Client

from xieshang.core.models import AuditEntry, Event

# The cast of every test (built in conftest.py): see docs/architecture.md, "Testing".
PERSONAS = (
    "admin",
    "staff",
    "leader",
    "member",
    "liaison",
    "oversight",
    "upper",
    "outsider",
    "platform",
    "anonymous",
)


@dataclass(frozen=True)
class Expect:
    """What a persona should get: status code, and whether state may change."""

    status: int | tuple[int, ...]
    changes: bool = False


def refused_except(
    allowed: Mapping[str, Expect], *, outsider: int = 404, anonymous: int = 302
) -> dict[str, Expect]:
    """Expectations for the whole cast: the allowed personas as given; staff of
    another council (outsider) 404, anonymous visitors `anonymous` (302 to the
    login page; the API answers 401), and every other persona 403."""
    refused = {"outsider": Expect(outsider), "anonymous": Expect(anonymous)}
    return {name: allowed.get(name) or refused.get(name) or Expect(403) for name in PERSONAS}


def run_permission_matrix(
    *,
    clients: Mapping[str, Client],
    method: str,
    url: str | Callable[[], str],
    expectations: Mapping[str, Expect],
    snapshot: Callable[[], Any],
    data: Mapping[str, Any] | Callable[[], Mapping[str, Any]] | None = None,
    reset: Callable[[], None] | None = None,
    order: Iterable[str] | None = None,
) -> None:
    """Call url as each persona and check the status; for every persona that
    is refused (changes=False) also check that snapshot() did not change.

    Allowed personas are run last (unless order says otherwise), so that the
    refusals are checked against untouched state; reset() runs after each
    persona that changed something.
    """
    names = list(order) if order is not None else sorted(expectations, key=lambda n: expectations[n].changes)
    failures: list[str] = []
    for name in names:
        expect = expectations[name]
        before = snapshot()
        target = url() if callable(url) else url
        payload = data() if callable(data) else (data or {})
        response = getattr(clients[name], method.lower())(target, payload)
        wanted = expect.status if isinstance(expect.status, tuple) else (expect.status,)
        if response.status_code not in wanted:
            failures.append(f"{name}: {method} {target} gave {response.status_code}, expected {wanted}")
        after = snapshot()
        if not expect.changes and after != before:
            failures.append(f"{name}: state changed although the request was refused")
        if expect.changes and reset is not None:
            reset()
    assert not failures, "\n".join(failures)


_VOLATILE = re.compile(rb'(csrfmiddlewaretoken" value="|submission_key" value="|X-CSRFToken": ")[^"]+')


def assert_same_not_found(client: Client, forbidden_url: str, missing_url: str, method: str = "get") -> None:
    """Assert that an object the client may not see answers exactly like one
    that does not exist: same 404, same page (but for the path and CSRF token)."""
    forbidden = getattr(client, method)(forbidden_url)
    missing = getattr(client, method)(missing_url)
    assert forbidden.status_code == 404, f"{forbidden_url} gave {forbidden.status_code}"
    assert missing.status_code == 404, f"{missing_url} gave {missing.status_code}"

    def normal(body: bytes, url: str) -> bytes:
        return _VOLATILE.sub(rb"\1*", body).replace(url.encode(), b"<url>")

    assert normal(forbidden.content, forbidden_url) == normal(missing.content, missing_url)


# --- Nothing changed ------------------------------------------------------------------

Watched = models.Model | type[models.Model] | QuerySet[Any]


def _label(item: Watched) -> str:
    if isinstance(item, models.Model):
        return f"{item._meta.label_lower} #{item.pk}"
    if isinstance(item, QuerySet):
        return f"{item.model._meta.label_lower} rows"
    return f"{item._meta.label_lower} table"


def _rows(item: Watched) -> Any:
    if isinstance(item, models.Model):
        return type(item)._base_manager.filter(pk=item.pk).values().first()
    rows = item if isinstance(item, QuerySet) else item._base_manager.all()
    return list(rows.order_by("pk").values())


def snapshot_rows(*watched: Watched) -> Callable[[], list[tuple[str, Any]]]:
    """A snapshot for run_permission_matrix: the stored values of each watched
    object, of every row of each watched model, or of each watched queryset's rows."""
    return lambda: [(_label(item), _rows(item)) for item in watched]


def _history(obj: models.Model) -> list[tuple[str, Any]]:
    events = Event.objects.filter(content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk)
    entries = AuditEntry.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))
    return [
        (f"{_label(obj)} events", list(events.order_by("pk").values())),
        (f"{_label(obj)} audit entries", list(entries.order_by("pk").values())),
    ]


def _state(watched: tuple[Watched, ...]) -> list[tuple[str, Any]]:
    state = snapshot_rows(*watched)()
    for item in watched:
        if isinstance(item, models.Model):
            state += _history(item)
    return state


def _fields(old: dict[str, Any], new: dict[str, Any]) -> str:
    return ", ".join(f"{key} {old[key]!r} → {new.get(key)!r}" for key in old if old[key] != new.get(key))


def _difference(label: str, old: Any, new: Any) -> str:
    if isinstance(old, dict) and isinstance(new, dict):
        return f"{label}: {_fields(old, new)}"
    if new is None:
        return f"{label}: deleted"
    if isinstance(old, list) and isinstance(new, list) and len(old) != len(new):
        return f"{label}: {len(old)} rows before, {len(new)} after"
    if isinstance(old, list) and isinstance(new, list):
        changed = [f"#{a.get('id')} {_fields(a, b)}" for a, b in zip(old, new, strict=True) if a != b]
        return f"{label}: " + "; ".join(changed)
    return f"{label}: changed"


def _last_pk(model: type[models.Model]) -> int:
    return model._default_manager.order_by("-pk").values_list("pk", flat=True).first() or 0


def _audit_problems(entries: list[AuditEntry], denied: bool) -> list[str]:
    problems = [
        f"audit entry {e.action} ({e.outcome}) appended"
        for e in entries
        if not denied or e.outcome != "denied"
    ]
    refusals = [e for e in entries if e.outcome == "denied"]
    if denied and len(refusals) != 1:
        problems.append(f"the refusal was to be audited once; {len(refusals)} denied entries appended")
    return problems


@contextmanager
def assert_nothing_changed(*watched: Watched, denied: bool = False) -> Iterator[None]:
    """Fail unless the block leaves the database as it found it: each watched
    object's stored values, its events and its audit entries; every row of
    each watched model or queryset; and no event or audit entry appended
    anywhere.

    Actions audit nothing they refuse (their transaction rolls back), so by
    default no audit entry may appear. A refused request over HTTP is audited
    once, outside that transaction ("permission_denied", outcome "denied"):
    say denied=True and exactly that one entry is then required.
    """
    before = _state(watched)
    last_event, last_entry = _last_pk(Event), _last_pk(AuditEntry)
    yield
    after = _state(watched)
    problems = [
        _difference(label, old, new)
        for (label, old), (_, new) in zip(before, after, strict=True)
        if old != new
    ]
    problems += [
        f"event {event} appended" for event in Event.objects.filter(pk__gt=last_event).order_by("pk")
    ]
    problems += _audit_problems(list(AuditEntry.objects.filter(pk__gt=last_entry).order_by("pk")), denied)
    assert not problems, "changed although refused:\n" + "\n".join(problems)


# --- Reading pages ----------------------------------------------------------------------

_VOID_TAGS = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
)


def _attribute(keyword: str) -> str:
    # data_testid= names data-testid, class_= names class.
    return keyword.rstrip("_").replace("_", "-")


@dataclass
class HtmlElement:
    """One element of a parsed page: its tag, its attributes and what it holds."""

    tag: str
    attrs: dict[str, str]
    children: list[HtmlElement | str] = field(default_factory=list)

    @property
    def raw_text(self) -> str:
        """All text inside the element, exactly as written (a script's JSON, say)."""
        return "".join(child if isinstance(child, str) else child.raw_text for child in self.children)

    @property
    def text(self) -> str:
        """The text as a reader sees it: each run of white space folded into one space."""
        return " ".join(self.raw_text.split())

    def matches(self, tag: str | None, attrs: Mapping[str, str]) -> bool:
        if tag is not None and self.tag != tag:
            return False
        for keyword, wanted in attrs.items():
            name = _attribute(keyword)
            if name not in self.attrs:
                return False
            if name == "class":
                if not set(wanted.split()) <= set(self.attrs[name].split()):
                    return False
            elif self.attrs[name] != wanted:
                return False
        return True

    def find_all(self, tag: str | None = None, **attrs: str) -> list[HtmlElement]:
        """The elements inside this one with that tag and those attributes, in
        page order (class_= matches when the element has all the classes named)."""
        found: list[HtmlElement] = []
        for child in self.children:
            if isinstance(child, HtmlElement):
                if child.matches(tag, attrs):
                    found.append(child)
                found += child.find_all(tag, **attrs)
        return found

    def one(self, tag: str | None = None, **attrs: str) -> HtmlElement:
        """The only element inside this one that matches; fail unless there is exactly one."""
        found = self.find_all(tag, **attrs)
        assert len(found) == 1, f"{len(found)} elements match {tag or '*'} {attrs}, expected one"
        return found[0]


# An element that ends where one of these begins, when its end tag is left out.
_ENDED_BY = {
    "li": {"li"},
    "p": {"p"},
    "td": {"td", "th"},
    "th": {"td", "th"},
    "tr": {"tr", "td", "th"},
    "option": {"option"},
    "dt": {"dt", "dd"},
    "dd": {"dt", "dd"},
}


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = HtmlElement("#document", {})
        self.open = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = HtmlElement(tag, {name: value or "" for name, value in attrs})
        while len(self.open) > 1 and self.open[-1].tag in _ENDED_BY.get(tag, ()):
            self.open.pop()
        self.open[-1].children.append(element)
        if tag not in _VOID_TAGS:
            self.open.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.open[-1].children.append(HtmlElement(tag, {name: value or "" for name, value in attrs}))

    def handle_endtag(self, tag: str) -> None:
        # Close the innermost open element of that tag (and any left open inside it).
        for depth in range(len(self.open) - 1, 0, -1):
            if self.open[depth].tag == tag:
                del self.open[depth:]
                return

    def handle_data(self, data: str) -> None:
        self.open[-1].children.append(data)


def parse_html(content: bytes | str) -> HtmlElement:
    """A page (or a fragment) as a tree of elements, so that tests read what an
    element holds instead of slicing the markup around it."""
    builder = _TreeBuilder()
    builder.feed(content.decode() if isinstance(content, bytes) else content)
    builder.close()
    return builder.root


class JsonClient:
    """A test client that sends bodies as JSON, like API clients do; it takes
    the place of a Django test client in run_permission_matrix."""

    def __init__(self, client: Client) -> None:
        self.client = client

    def get(self, url: str, data: Any = None) -> Any:
        return self.client.get(url, data or {})

    def post(self, url: str, data: Any = None) -> Any:
        return self.client.post(url, json.dumps(data or {}), content_type="application/json")

    def patch(self, url: str, data: Any = None) -> Any:
        return self.client.patch(url, json.dumps(data or {}), content_type="application/json")


def run_in_threads[T](calls: Sequence[Callable[[], T]]) -> list[T | BaseException]:
    """Run the calls at the same moment, one thread (and one database
    connection) each, and return each one's result or the exception it
    raised, in the order given. For races against the real database: mark
    the test django_db(transaction=True), so the threads see its rows."""
    barrier = threading.Barrier(len(calls))
    results: list[T | BaseException] = [RuntimeError("did not run")] * len(calls)

    def run(index: int) -> None:
        try:
            barrier.wait()
            results[index] = calls[index]()
        except BaseException as error:  # handed back to the caller
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results
