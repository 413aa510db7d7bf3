"""The shared form field (templates/core/_field.html with StyledFormMixin):
choices show as real radio buttons and checkboxes, and counters appear only
under text people write toward a limit."""

from __future__ import annotations

from django import forms
from django.template.loader import render_to_string

from xieshang.core.forms import StyledFormMixin
from xieshang.core.testing import HtmlElement, parse_html


class SampleForm(StyledFormMixin, forms.Form):
    uncounted_fields = frozenset({"username"})

    rating = forms.ChoiceField(
        label="How satisfied are you?", choices=[("good", "Good"), ("bad", "Bad")], widget=forms.RadioSelect
    )
    offices = forms.MultipleChoiceField(
        label="Send to", choices=[("a", "Office A"), ("b", "Office B")], widget=forms.CheckboxSelectMultiple
    )
    agree = forms.BooleanField(label="I agree", required=False)
    title = forms.CharField(label="Title", max_length=50)
    username = forms.CharField(label="Username", max_length=150)
    code = forms.CharField(label="Code", max_length=6)


def _field(form: forms.Form, name: str) -> HtmlElement:
    return parse_html(render_to_string("core/_field.html", {"field": form[name]}))


def test_radio_buttons_are_check_inputs_in_a_fieldset_named_by_the_label():
    form = SampleForm(data={"rating": "bad"})
    field = _field(form, "rating")
    assert field.one("legend").text == "How satisfied are you? *"
    boxes = field.find_all("input", type="radio")
    assert [box.attrs["value"] for box in boxes] == ["good", "bad"]
    for box in boxes:
        assert box.attrs["class"].split() == ["form-check-input"]
        assert field.one("label", for_=box.attrs["id"]).attrs["class"] == "form-check-label"
    assert "checked" in field.one("input", value="bad").attrs


def test_a_list_of_checkboxes_is_check_inputs_in_a_fieldset():
    field = _field(SampleForm(), "offices")
    assert field.one("legend").text == "Send to *"
    boxes = field.find_all("input", type="checkbox")
    assert [box.attrs["class"] for box in boxes] == ["form-check-input"] * 2


def test_a_single_checkbox_keeps_its_label_beside_it():
    field = _field(SampleForm(), "agree")
    assert field.find_all("fieldset") == []
    assert field.one("input", type="checkbox").attrs["class"] == "form-check-input"


def test_limited_text_gets_a_counter_and_identifiers_and_short_codes_do_not():
    form = SampleForm()
    assert _field(form, "title").one(class_="char-counter").attrs["id"] == "id_title-counter"
    assert form.fields["title"].widget.attrs["data-max-chars"] == "50"
    for name in ("username", "code"):
        assert _field(form, name).find_all(class_="char-counter") == []
        assert "data-max-chars" not in form.fields[name].widget.attrs
