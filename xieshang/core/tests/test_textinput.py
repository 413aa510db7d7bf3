"""The platform's one text normaliser (core.textinput)."""

from __future__ import annotations

import pytest

from xieshang.core.textinput import normalise_strings, normalise_text

ZWSP = "\u200b"


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        (f"  {ZWSP} ", ""),
        (f"\u3000{ZWSP}\ufeff\t\n", ""),
        (f"张{ZWSP}三", "张三"),
        ("王\u200c\u200d\u2060五", "王五"),
        ("李\u202e四\u202c", "李四"),
        ("a\x00b\x07c\x1b", "abc"),
        ("e\u0301", "\u00e9"),
        ("e\u200b\u0301", "\u00e9"),
        ("第一行\r\n\t第二行", "第一行\r\n\t第二行"),
        ("  养老服务  ", "养老服务"),
        ("\ud800孤", "孤"),
        ("plain words", "plain words"),
    ],
)
def test_text_is_composed_without_invisible_characters_or_surrounding_blanks(typed: str, kept: str) -> None:
    assert normalise_text(typed) == kept


def test_every_string_of_decoded_json_is_normalised_and_keys_and_numbers_stay() -> None:
    data = {"title": f" {ZWSP}题目", "ids": [1, 2], "nested": [{"name": f"张{ZWSP}三"}], f"k{ZWSP}": True}
    kept = {"title": "题目", "ids": [1, 2], "nested": [{"name": "张三"}], f"k{ZWSP}": True}
    assert normalise_strings(data) == kept
