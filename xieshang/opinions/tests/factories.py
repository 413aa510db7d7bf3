"""Factories of the opinions app."""

from __future__ import annotations

import factory

from xieshang.opinions.models import OpinionReport
from xieshang.opinions.states import AuthorKind


class OpinionReportFactory(factory.django.DjangoModelFactory):
    """A submitted report by a member (pass council, member and filed_by)."""

    class Meta:
        model = OpinionReport

    year = 2026
    title = factory.Sequence(lambda n: f"关于改进社区服务的建议{n}")
    problem = "社区服务设施分布不均。"
    analysis = "老旧小区配套不足。"
    suggestion = "建议统筹规划，补齐短板。"
    status = "submitted"
    author_kind = AuthorKind.MEMBER
