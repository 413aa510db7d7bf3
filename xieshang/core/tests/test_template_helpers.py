"""The shared template helpers: speech lengths as people say them."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.utils import translation

from xieshang.core.templatetags.xs import duration


@pytest.mark.parametrize(
    ("seconds", "english"),
    [(480, "8 minutes"), (60, "1 minute"), (312, "5 min 12 s"), (40, "40 s"), (0, "0 s"), (None, "")],
)
def test_lengths_read_in_minutes_and_seconds(seconds, english):
    with translation.override("en"):
        assert duration(seconds) == english


def test_lengths_read_in_chinese_on_the_chinese_pages():
    with translation.override("zh-hans"):
        assert duration(480) == "8 分钟"
        assert duration(312) == "5 分 12 秒"


def test_a_label_and_its_value_are_joined_as_the_language_writes_it():
    template = Template('{% load i18n xs %}{% translate "Reason" %}{% colon %}{{ reason }}')
    with translation.override("en"):
        assert template.render(Context({"reason": "x"})) == "Reason: x"
