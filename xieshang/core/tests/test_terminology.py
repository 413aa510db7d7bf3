"""The official Chinese terms (docs/terminology.md), checked against the
Chinese catalogue: each entry the table names translates with its term and
without the words it must not be confused with; Chinese text uses full-width
punctuation; no message carries an escape the extractor copied literally."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import polib
import pytest
from django.conf import settings

DOC = Path(settings.BASE_DIR) / "docs" / "terminology.md"
PO = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
CONTEXT = "::"


@dataclass(frozen=True)
class Term:
    term: str
    entries: tuple[str, ...]
    forbidden: tuple[str, ...]


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def terms() -> list[Term]:
    """The rows of the table under "## Terms"."""
    text = DOC.read_text(encoding="utf-8").split("## Terms", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in text.splitlines() if line.startswith("| ") and not line.startswith("| term ")]
    found = []
    for row in rows:
        term, entries, _where, forbidden, _why = _cells(row)
        names = tuple(re.findall(r"`([^`]+)`", entries))
        words = () if forbidden in ("", "—") else tuple(w.strip() for w in forbidden.split("、"))
        found.append(Term(term, names, words))
    return found


def catalogue() -> dict[tuple[str | None, str], str]:
    po = polib.pofile(str(PO))
    out = {}
    for entry in po:
        if entry.obsolete:
            continue
        text = entry.msgstr if not entry.msgid_plural else entry.msgstr_plural.get(0, "")
        out[(entry.msgctxt, entry.msgid)] = text
    return out


def _key(name: str) -> tuple[str | None, str]:
    context, separator, msgid = name.partition(CONTEXT)
    return (context, msgid) if separator and context else (None, name)


TERMS = terms()
CATALOGUE = catalogue()


def test_the_table_lists_the_terms():
    assert len(TERMS) >= 20
    assert all(term.entries for term in TERMS)


@pytest.mark.parametrize(
    ("term", "entry"),
    [(term, entry) for term in TERMS for entry in term.entries],
    ids=[f"{term.term}-{entry}" for term in TERMS for entry in term.entries],
)
def test_each_entry_reads_with_its_official_term(term: Term, entry: str):
    key = _key(entry)
    assert key in CATALOGUE, f"{entry!r} is not in the Chinese catalogue"
    chinese = CATALOGUE[key]
    assert term.term in chinese, f"{entry!r} reads {chinese!r}, without {term.term}"
    for word in term.forbidden:
        assert word not in chinese, f"{entry!r} reads {chinese!r}, which says {word} (not {term.term})"


# What may legitimately hold half-width punctuation inside Chinese text.
_ALLOWED = re.compile(
    r"%\([a-z_]+\)[-+ #0-9.]*[sdfi]"  # placeholders
    r"|\{[a-z_]+\}"
    r"|\d[:,.]\d"  # times and numbers: 09:00, 1,500
    r"|(?<=[A-Za-z0-9])[:,;](?= ?[A-Za-z0-9])"  # inside English or a format: Content-Type: x, HH:MM
    r"|https?://\S+|&[a-z]+;|<[^>]+>"  # addresses, entities, markup
    r"|“[^”]*[A-Za-z][^”]*”"  # quoted English or codes
)
_HALF_WIDTH = re.compile(r"[,:;?!()]")
_CHINESE = re.compile(r"[\u4e00-\u9fff]")


def test_chinese_text_uses_full_width_punctuation():
    offending = [
        (msgid, chinese)
        for (_context, msgid), chinese in CATALOGUE.items()
        if _CHINESE.search(chinese) and _HALF_WIDTH.search(_ALLOWED.sub("", chinese))
    ]
    assert offending == []


def test_no_message_carries_a_python_escape():
    """xgettext copies "\\u201c" literally: such a message never matches."""
    assert [msgid for (_context, msgid) in CATALOGUE if "\\u" in msgid or "\\x" in msgid] == []
