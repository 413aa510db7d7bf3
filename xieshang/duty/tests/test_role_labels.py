"""A member's part in a record's source is named as that kind of work names
it: the first proposer of a proposal, the reporter of an opinion report, the
speaker of a speech — never one kind's word for another's."""

from __future__ import annotations

import pytest
from django.utils import translation

from xieshang.duty.models import DutyRecord
from xieshang.duty.states import DutyKind, SourceRole, role_label


@pytest.mark.parametrize(
    ("kind", "english"),
    [
        (DutyKind.PROPOSAL_FILED, "lead proposer"),
        (DutyKind.PROPOSAL_ACCEPTED, "lead proposer"),
        (DutyKind.OPINION_REPORT, "reporter"),
        (DutyKind.OPINION_ADOPTED, "reporter"),
        (DutyKind.OPINION_INSTRUCTED, "reporter"),
        (DutyKind.SPEECH, "speaker"),
        (DutyKind.OFFLINE, "lead"),
    ],
)
def test_the_lead_is_named_as_the_kind_of_work_names_it(kind, english):
    with translation.override("en"):
        assert role_label(kind, SourceRole.LEAD) == english
        assert DutyRecord(kind=kind, role=SourceRole.LEAD).role_label == english


@pytest.mark.parametrize("kind", [DutyKind.OPINION_REPORT, DutyKind.SPEECH])
def test_a_report_or_a_speech_has_no_first_proposer(kind):
    with translation.override("en"):
        assert "proposer" not in role_label(kind, SourceRole.LEAD)


def test_co_signers_and_participants_keep_their_own_names():
    with translation.override("en"):
        assert role_label(DutyKind.PROPOSAL_FILED, SourceRole.COSIGNER) == "co-signer"
        assert role_label(DutyKind.ACTIVITY, SourceRole.PARTICIPANT) == "participant"
