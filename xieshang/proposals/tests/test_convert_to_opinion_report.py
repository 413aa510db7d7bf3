"""Converting a proposal into an opinion report files the report, linked
back to the proposal; it scores once, as the report (duty skips converted
proposals)."""

from __future__ import annotations

import pytest

from xieshang.opinions.models import OpinionReport
from xieshang.proposals.actions.review import convert_proposal
from xieshang.proposals.tests.conftest import World

pytestmark = pytest.mark.django_db


def test_converting_to_an_opinion_report_files_it_for_the_lead_proposer(world: World) -> None:
    proposal = world.submitted()
    convert_proposal(
        proposal, actor=world.actor("staff"), target="opinion_report", consent_note="电话征得同意"
    )
    report = OpinionReport.objects.get()
    assert report.member == proposal.lead_proposer
    # It scores once, as the report: duty skips converted proposals.
    assert (report.origin_kind, report.origin_id, report.counts_for_duty) == ("proposal", proposal.pk, True)
    assert report.title == proposal.title and report.problem == proposal.situation
    assert report.origin_url.endswith(f"/proposals/{proposal.pk}/")


def test_converting_to_a_letter_files_no_opinion_report(world: World) -> None:
    convert_proposal(world.submitted(), actor=world.actor("staff"), target="letter", consent_note="书面同意")
    assert not OpinionReport.objects.exists()
