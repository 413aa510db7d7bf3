"""Every form and every endpoint takes text through the platform's one
normaliser (core.textinput); the scanner (scan.py) finds any other way, and
each of its checks is shown to catch a planted bypass."""

from __future__ import annotations

from django import forms
from ninja import Header, NinjaAPI, Router

from config.api import api
from tests.text_input.scan import (
    api_bypasses,
    api_module_files,
    form_bypasses,
    project_form_classes,
    raw_request_reads,
)
from xieshang.core.api import NormalisingParser
from xieshang.core.forms import StyledFormMixin


def test_every_form_of_the_platform_normalises_its_text_fields() -> None:
    classes = project_form_classes()
    assert len(classes) > 50  # the scan found the platform's forms
    assert form_bypasses(classes) == []


def test_the_api_parses_with_the_normaliser_and_takes_no_unbounded_text_past_it() -> None:
    assert api_bypasses(api) == []


def test_no_api_module_reads_the_raw_request() -> None:
    files = api_module_files()
    assert len(files) > 5
    problems = [problem for path in files for problem in raw_request_reads(path.read_text(), str(path))]
    assert problems == []


# --- the scanner catches what it is there for -------------------------------------


def test_a_planted_form_without_the_normaliser_is_caught() -> None:
    class PlainForm(forms.Form):
        title = forms.CharField()
        password = forms.CharField(widget=forms.PasswordInput)
        count = forms.IntegerField()

    class StyledForm(StyledFormMixin, forms.Form):
        title = forms.CharField()

    assert form_bypasses([PlainForm, StyledForm]) == [
        f"{__name__}.{PlainForm.__qualname__}.title: not normalised (NormalisedTextMixin)"
    ]


def test_a_planted_api_with_the_default_parser_is_caught() -> None:
    planted_api = NinjaAPI(urls_namespace="planted-parser")
    assert api_bypasses(planted_api) == ["planted-parser: parses requests with Parser"]


def test_a_planted_header_parameter_of_free_text_is_caught() -> None:
    router = Router()

    @router.get("/planted")
    def planted(request, note: str = Header(...), tenant: str = Header(..., pattern=r"^[a-z]+$")):  # type: ignore[no-untyped-def]
        return {}

    planted_api = NinjaAPI(urls_namespace="planted-header", parser=NormalisingParser())
    planted_api.add_router("", router)
    expected = f"{__name__}.planted: header parameter note is text without a pattern"
    assert api_bypasses(planted_api) == [expected]


def test_a_planted_raw_read_of_the_request_is_caught() -> None:
    source = "def endpoint(request):\n    return json.loads(request.body)\n"
    assert raw_request_reads(source, "planted.py") == ["planted.py:2: reads request.body"]
