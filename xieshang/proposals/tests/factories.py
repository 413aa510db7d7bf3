from __future__ import annotations

import datetime as dt

import factory

from xieshang.councils import models as cm
from xieshang.councils.tests.factories import (
    CouncilFactory,
    HandlingUnitFactory,
    MemberFactory,
    TermFactory,
    UserFactory,
)
from xieshang.proposals import models as m
from xieshang.proposals.states import NUMBERED, AssignmentRole, ProposalStatus


def term_of(council: cm.Council) -> cm.Term:
    """The council's current term, made when it has none."""
    return cm.Term.objects.filter(council=council, is_current=True).first() or TermFactory(council=council)


def session_of(council: cm.Council, term: cm.Term) -> cm.Session:
    return cm.Session.objects.filter(term=term).order_by("-number").first() or SessionFactory(
        council=council, term=term
    )


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = cm.Session

    council = factory.SubFactory(CouncilFactory)
    term = factory.LazyAttribute(lambda o: term_of(o.council))
    number = 3
    year = 2026
    opens_on = dt.date(2026, 1, 10)
    closes_on = dt.date(2026, 1, 14)


class ProposalCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.ProposalCategory

    council = factory.SubFactory(CouncilFactory)
    name = factory.Sequence(lambda n: f"类别{n}")


class DeclineReasonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.DeclineReason

    council = factory.SubFactory(CouncilFactory)
    name = factory.Sequence(lambda n: f"不予立案理由{n}")


class ReplyCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.ReplyCategory

    council = factory.SubFactory(CouncilFactory)
    code = factory.Sequence(lambda n: f"K{n}")
    meaning = "已解决或采纳"


class ProposalFactory(factory.django.DjangoModelFactory):
    """A proposal by a member of the council, in any status: fields a status
    needs (case number, decline reason, merge target) are filled in."""

    class Meta:
        model = m.Proposal

    council = factory.SubFactory(CouncilFactory)
    lead_proposer = factory.LazyAttribute(lambda o: MemberFactory(council=o.council, term=term_of(o.council)))
    term = factory.LazyAttribute(lambda o: o.lead_proposer.term)
    session = factory.LazyAttribute(lambda o: session_of(o.council, o.term))
    filed_by = factory.LazyAttribute(lambda o: o.lead_proposer.user or UserFactory())
    title = factory.Sequence(lambda n: f"关于加强社区养老服务的建议{n}")
    category = factory.LazyAttribute(lambda o: ProposalCategoryFactory(council=o.council))
    situation = "本市老年人口持续增长，社区养老服务供给不足。"
    analysis = "服务设施分布不均，专业人员短缺。"
    suggestions = "一是加大投入；二是培养专业护理人员。"
    status = ProposalStatus.DRAFT
    case_number = factory.LazyAttributeSequence(
        lambda o, n: f"{o.term.number}-{o.session.number}-{9000 + n:04d}" if o.status in NUMBERED else ""
    )
    decline_reason = factory.LazyAttribute(
        lambda o: DeclineReasonFactory(council=o.council) if o.status == ProposalStatus.DECLINED else None
    )
    merged_into = factory.LazyAttribute(
        lambda o: (
            ProposalFactory(council=o.council, status=ProposalStatus.ACCEPTED)
            if o.status == ProposalStatus.MERGED
            else None
        )
    )


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Assignment

    council = factory.LazyAttribute(lambda o: o.proposal.council)
    proposal = factory.SubFactory(ProposalFactory, status=ProposalStatus.ASSIGNED)
    unit = factory.LazyAttribute(lambda o: HandlingUnitFactory(council=o.council))
    role = AssignmentRole.LEAD
    assigned_on = dt.date(2026, 3, 2)
    due_on = dt.date(2026, 6, 2)
    objection_due_on = dt.date(2026, 3, 9)
