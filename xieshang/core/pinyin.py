"""The pinyin search key of a person's name: what lets "zs" or "zhangsan"
find 张三 in the person picker and the roster search.

`search_key` is the one place the pinyin library is called; the key is
stored beside the name (``Member.search_key``) and compared with
``icontains``, so a search needs no Python over every row.
"""

from __future__ import annotations

import re

from pypinyin import lazy_pinyin

# A surname read differently from the same character elsewhere: the
# library's everyday reading is kept too, so either finds the person.
SURNAME_READINGS = {
    "单": "shan",
    "曾": "zeng",
    "解": "xie",
    "区": "ou",
    "仇": "qiu",
    "朴": "piao",
    "查": "zha",
    "盖": "ge",
    "乐": "yue",
    "覃": "qin",
    "缪": "miao",
    "褚": "chu",
    "种": "chong",
    "员": "yun",
    "召": "shao",
    "尉": "yu",
    "长": "chang",
}

_KEEP = re.compile(r"[^0-9a-z]")


def _readings(name: str) -> list[list[str]]:
    syllables = [s.lower() for s in lazy_pinyin(name, errors="default")]
    readings = [syllables]
    surname = SURNAME_READINGS.get(name[:1])
    if surname and syllables and syllables[0] != surname:
        readings.append([surname, *syllables[1:]])
    return readings


def search_key(name: str) -> str:
    """Full pinyin and initials of every reading of name, lower case, with
    "|" between them: 张三 gives "zhangsan|zs"."""
    name = name.strip()
    if not name:
        return ""
    parts: list[str] = []
    for syllables in _readings(name):
        for part in ("".join(syllables), "".join(s[:1] for s in syllables)):
            part = _KEEP.sub("", part)
            if part and part not in parts:
                parts.append(part)
    return "|".join(parts)


def search_text(query: str) -> str:
    """A typed query in the form the keys are stored in: lower case, without
    blanks or separators ("Zhang San" → "zhangsan")."""
    return _KEEP.sub("", query.lower())
