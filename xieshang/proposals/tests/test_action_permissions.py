"""Every action against every persona of the cast who has an actor in the
city council: only the expected persona succeeds; for everyone else the
action raises PermissionDenied and nothing changes. (Outsiders and anonymous
visitors never get an actor: the pages answer them 404 / login, see test_views.)"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from xieshang.core.testing import assert_nothing_changed
from xieshang.councils.roles import Actor
from xieshang.proposals.actions import feedback, filing, handling, review
from xieshang.proposals.actions.handling import UnitRole
from xieshang.proposals.models import Assignment, Cosigner, Feedback, Proposal, Reply
from xieshang.proposals.states import AssignmentRole
from xieshang.proposals.tests.conftest import ASSIGNED_ON, RELEASED_ON, World

pytestmark = pytest.mark.django_db

WITH_ACTOR = ("admin", "staff", "leader", "member", "liaison", "oversight", "upper", "platform")


# Refusals must leave these tables as they were (and append no event or audit entry).
WATCHED = (Proposal, Assignment, Reply, Feedback, Cosigner)


def _run(world: World, target: Any, act: Callable[[Actor, Any], Any], allowed: str) -> None:
    failures = []
    for name in [n for n in WITH_ACTOR if n != allowed]:
        try:
            with assert_nothing_changed(*WATCHED), pytest.raises(PermissionDenied):
                act(world.actor(name), target)
        except (AssertionError, pytest.fail.Exception) as error:
            failures.append(f"{name}: {error}")
    act(world.actor(allowed), target)
    assert not failures, "\n".join(failures)


def _reply(world: World, proposal: Proposal) -> Reply:
    return Reply.objects.get(assignment__proposal=proposal)


CASES: dict[str, tuple[str, Callable[[World], Any], Callable[[World, Actor, Any], Any]]] = {
    "save_draft": (
        "member",
        lambda w: w.draft(),
        lambda w, a, p: filing.save_draft(p, actor=a, content=w.content(title="改")),
    ),
    "submit": ("member", lambda w: w.draft(), lambda w, a, p: filing.submit_proposal(p, actor=a)),
    "invite_cosigners": (
        "member",
        lambda w: w.draft(),
        lambda w, a, p: filing.invite_cosigners(p, actor=a, members=[w.cosigner]),
    ),
    "accept": ("staff", lambda w: w.submitted(), lambda w, a, p: review.accept_proposal(p, actor=a)),
    "decline": (
        "staff",
        lambda w: w.submitted(),
        lambda w, a, p: review.decline_proposal(p, actor=a, reason=w.decline_reason()),
    ),
    "convert": (
        "staff",
        lambda w: w.submitted(),
        lambda w, a, p: review.convert_proposal(p, actor=a, target="letter", consent_note="书面同意"),
    ),
    "merge": (
        "staff",
        lambda w: (w.submitted(), w.accepted()),
        lambda w, a, pair: review.merge_proposal(pair[0], actor=a, into=pair[1]),
    ),
    "return": (
        "staff",
        lambda w: w.submitted(),
        lambda w, a, p: review.return_for_revision(p, actor=a, reason="请修改"),
    ),
    "assign": (
        "staff",
        lambda w: w.accepted(),
        lambda w, a, p: handling.assign_proposal(
            p, actor=a, units=[UnitRole(w.unit, AssignmentRole.LEAD)], assigned_on=ASSIGNED_ON
        ),
    ),
    "object": (
        "liaison",
        lambda w: w.assignment(w.assigned()),
        lambda w, a, x: handling.object_to_assignment(x, actor=a, reason="不属我局", today=ASSIGNED_ON),
    ),
    "reassign": (
        "staff",
        lambda w: w.assigned(),
        lambda w, a, p: handling.reassign_proposal(
            p, actor=a, units=[UnitRole(w.other_unit, AssignmentRole.LEAD)], assigned_on=ASSIGNED_ON
        ),
    ),
    "extend": (
        "staff",
        lambda w: w.assignment(w.assigned()),
        lambda w, a, x: handling.approve_extension(x, actor=a, new_due_on=dt.date(2026, 7, 1), reason="协调"),
    ),
    "reply": (
        "liaison",
        lambda w: w.assignment(w.assigned()),
        lambda w, a, x: handling.save_reply(x, actor=a, content=w.reply_content(), submit=True),
    ),
    "return_reply": (
        "staff",
        lambda w: _reply(w, w.replied()),
        lambda w, a, r: handling.return_reply(r, actor=a, reason="重写"),
    ),
    "release_reply": (
        "staff",
        lambda w: _reply(w, w.replied()),
        lambda w, a, r: handling.release_reply(r, actor=a, today=RELEASED_ON),
    ),
    "rate": (
        "member",
        lambda w: _reply(w, w.released()),
        lambda w, a, r: feedback.rate_reply(
            r, actor=a, satisfaction="satisfied", comment="", today=RELEASED_ON
        ),
    ),
    "rehandle": (
        "staff",
        lambda w: w.rated("dissatisfied"),
        lambda w, a, p: review.order_rehandling(p, actor=a, reason="再办", today=RELEASED_ON),
    ),
    "conclude": (
        "staff",
        lambda w: w.rated("satisfied"),
        lambda w, a, p: review.conclude_proposal(p, actor=a, today=RELEASED_ON),
    ),
    "note": (
        "liaison",
        lambda w: w.assignment(w.assigned()),
        lambda w, a, x: handling.record_handling_note(
            x, actor=a, kind="consultation", text="面商", happened_on=ASSIGNED_ON, today=ASSIGNED_ON
        ),
    ),
    "accept_many": (
        "staff",
        lambda w: [w.submitted(), w.submitted()],
        lambda w, a, ps: review.accept_many(ps, actor=a),
    ),
    "mark_key": (
        "staff",
        lambda w: w.accepted(),
        lambda w, a, p: review.mark_key(p, actor=a, is_key=True, supervising_leader=w.cast.leader),
    ),
    "mark_outstanding": (
        "staff",
        lambda w: w.accepted(),
        lambda w, a, p: review.mark_outstanding(p, actor=a, is_outstanding=True),
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_only_the_right_persona_may_act(world: World, case: str) -> None:
    allowed, make, act = CASES[case]
    target = make(world)
    _run(world, target, lambda actor, obj: act(world, actor, obj), allowed)


def test_answering_a_cosign_request_is_the_invited_members_alone(world: World) -> None:
    proposal = world.draft()
    [row] = filing.invite_cosigners(proposal, actor=world.actor("member"), members=[world.cosigner])
    for name in WITH_ACTOR:
        with assert_nothing_changed(row, proposal), pytest.raises(PermissionDenied):
            filing.answer_cosign(row, actor=world.actor(name), confirm=True)
    assert Cosigner.objects.get(pk=row.pk).status == "invited"
