"""{% csrf_token %} for every form of the platform: Django's CSRF field plus
a fresh submission key, so that a form posted twice runs once
(xieshang.core.submissions).

Loaded as a template builtin (settings.TEMPLATES, "builtins"), after
Django's own tags, so that it takes the place of Django's csrf_token tag in
every template — those of the apps, the shared pieces and Django's admin —
without each form having to ask for it.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.template.defaulttags import CsrfTokenNode
from django.utils.html import format_html

from xieshang.core.submissions import FIELD, new_key

register = template.Library()


class SubmitOnceTokenNode(CsrfTokenNode):
    def render(self, context: Any) -> str:
        csrf_field = super().render(context)
        if not csrf_field:
            return csrf_field
        return format_html('{}<input type="hidden" name="{}" value="{}">', csrf_field, FIELD, new_key())


@register.tag
def csrf_token(parser: template.base.Parser, token: template.base.Token) -> SubmitOnceTokenNode:
    return SubmitOnceTokenNode()
