"""The proposals API for what staff do to many proposals at once (accepting
from the queue, the assignment meeting) and for collective-filer
authorisations: the same actions and permissions as the pages, all or
nothing, a clear 409 for a repeated or stale request, a 404 for another
council's ids, and nothing changed by any refused request."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from xieshang.core.testing import Expect, JsonClient, run_permission_matrix
from xieshang.councils.tests.factories import AffiliationFactory, HandlingUnitFactory, MemberFactory
from xieshang.proposals.models import Assignment, CaseCounter, CollectiveFiler, Proposal
from xieshang.proposals.states import ProposalStatus
from xieshang.proposals.tests.conftest import World
from xieshang.proposals.tests.factories import ProposalFactory

pytestmark = pytest.mark.django_db
BASE = "/api/v1/c/city/proposals"
S = ProposalStatus

# Everyone but staff: refused with nothing changed.
REFUSED = {
    "admin": Expect(403),
    "leader": Expect(403),
    "member": Expect(403),
    "liaison": Expect(403),
    "oversight": Expect(403),
    "upper": Expect(403),
    "outsider": Expect(404),
    "platform": Expect(403),
    "anonymous": Expect(401),
}


def post(client: Client, url: str, data: dict[str, Any]) -> Any:
    return client.post(url, json.dumps(data), content_type="application/json")


def json_clients(clients: dict[str, Client]) -> dict[str, Any]:
    return {name: JsonClient(client) for name, client in clients.items()}


def filed(world: World, status: str = S.SUBMITTED, **fields: Any) -> Proposal:
    """A proposal of the city's current term and session, filed by a seated member."""
    member = MemberFactory(council=world.cast.city, term=world.cast.term)
    fields.setdefault("submitted_at", timezone.now())
    return ProposalFactory(  # type: ignore[no-any-return]
        council=world.cast.city,
        term=world.cast.term,
        session=world.session,
        lead_proposer=member,
        filed_by=world.cast.staff,
        category=world.category,
        status=status,
        **fields,
    )


def foreign_proposal(world: World, status: str = S.SUBMITTED) -> Proposal:
    return ProposalFactory(council=world.cast.other_city, status=status, submitted_at=timezone.now())  # type: ignore[no-any-return]


def review_state() -> list[tuple[Any, ...]]:
    return list(Proposal.objects.order_by("pk").values_list("pk", "status", "case_number", "version"))


def assignment_state() -> list[tuple[Any, ...]]:
    return [
        *Proposal.objects.order_by("pk").values_list("pk", "status", "version"),
        *Assignment.objects.order_by("pk").values_list("pk", "proposal_id", "unit_id", "due_on"),
    ]


class TestAcceptMany:
    def test_staff_accept_the_chosen_proposals_numbered_in_filing_order(
        self, world: World, clients: dict[str, Client]
    ) -> None:
        start = timezone.now()
        first, second, third = (filed(world, submitted_at=start + dt.timedelta(minutes=n)) for n in range(3))
        response = post(clients["staff"], f"{BASE}/review/accept", {"proposal_ids": [third.pk, first.pk]})
        assert response.status_code == 200, response.content
        assert [(p["id"], p["case_number"]) for p in response.json()["items"]] == [
            (first.pk, "14-3-0001"),
            (third.pk, "14-3-0002"),
        ]
        statuses = dict(Proposal.objects.values_list("pk", "status"))
        assert (statuses[first.pk], statuses[second.pk], statuses[third.pk]) == (
            S.ACCEPTED,
            S.SUBMITTED,
            S.ACCEPTED,
        )

    def test_a_second_click_is_a_409_naming_the_proposal_and_numbers_nothing(
        self, world: World, clients: dict[str, Client]
    ) -> None:
        done, waiting = filed(world), filed(world)
        assert post(clients["staff"], f"{BASE}/review/accept", {"proposal_ids": [done.pk]}).status_code == 200
        before = review_state()
        again = post(clients["staff"], f"{BASE}/review/accept", {"proposal_ids": [waiting.pk, done.pk]})
        assert again.status_code == 409
        assert done.title in again.json()["detail"]
        assert "Nothing was accepted" in again.json()["detail"]
        assert review_state() == before
        assert CaseCounter.objects.get().last_value == 1

    def test_a_proposal_returned_by_another_staff_member_meanwhile_stops_the_batch(
        self, world: World, clients: dict[str, Client]
    ) -> None:
        returned, waiting = filed(world), filed(world)
        sent_back = post(
            clients["staff"],
            f"{BASE}/{returned.pk}/return",
            {"reason": "请补充情况", "version": returned.version},
        )
        assert sent_back.status_code == 200
        before = review_state()
        response = post(
            clients["staff"], f"{BASE}/review/accept", {"proposal_ids": [waiting.pk, returned.pk]}
        )
        assert response.status_code == 409
        assert review_state() == before

    @pytest.mark.parametrize("kind", ["other council", "draft", "missing"])
    def test_an_id_that_is_not_a_filed_proposal_of_this_council_is_a_404_and_nothing_changes(
        self, world: World, clients: dict[str, Client], kind: str
    ) -> None:
        waiting = filed(world)
        other = {
            "other council": lambda: foreign_proposal(world).pk,
            "draft": lambda: filed(world, status=S.DRAFT, submitted_at=None).pk,
            "missing": lambda: 987654,
        }[kind]()
        before = review_state()
        response = post(clients["staff"], f"{BASE}/review/accept", {"proposal_ids": [waiting.pk, other]})
        assert response.status_code == 404
        assert review_state() == before

    def test_an_empty_or_oversized_batch_does_not_fit_the_endpoint(
        self, world: World, clients: dict[str, Client]
    ) -> None:
        waiting = filed(world)
        assert post(clients["staff"], f"{BASE}/review/accept", {"proposal_ids": []}).status_code == 422
        too_many = {"proposal_ids": [waiting.pk, *range(1_000_000, 1_000_100)]}
        assert post(clients["staff"], f"{BASE}/review/accept", too_many).status_code == 422
        assert Proposal.objects.get().status == S.SUBMITTED

    def test_only_staff_who_review_may_accept_many(self, world: World, clients: dict[str, Client]) -> None:
        proposals = [filed(world), filed(world)]
        run_permission_matrix(
            clients=json_clients(clients),
            method="post",
            url=f"{BASE}/review/accept",
            data={"proposal_ids": [p.pk for p in proposals]},
            expectations={**REFUSED, "staff": Expect(200, changes=True)},
            snapshot=review_state,
        )
        assert set(Proposal.objects.values_list("status", flat=True)) == {S.ACCEPTED}


class TestAssignmentMeeting:
    def test_the_agenda_lists_accepted_proposals_with_their_suggested_units(
        self, world: World, clients: dict[str, Client]
    ) -> None:
        waiting = filed(world, status=S.ACCEPTED)
        waiting.suggested_units.set([world.other_unit])
        filed(world)
        response = clients["staff"].get(f"{BASE}/meeting")
        assert response.status_code == 200
        [row] = response.json()["items"]
        assert (row["id"], row["suggested_units"]) == (
            waiting.pk,
            [{"id": world.other_unit.pk, "name": world.other_unit.name}],
        )
        assert clients["member"].get(f"{BASE}/meeting").status_code == 403

    def test_staff_assign_each_proposal_to_its_units_from_the_meeting_day(
        self, world: World, clients: dict[str, Client]
    ) -> None:
        first, second, later = (filed(world, status=S.ACCEPTED) for _ in range(3))
        response = post(
            clients["staff"],
            f"{BASE}/meeting",
            {
                "assigned_on": "2026-02-10",
                "items": [
                    {"proposal_id": first.pk, "units": [{"unit_id": world.unit.pk, "role": "lead"}]},
                    {
                        "proposal_id": second.pk,
                        "units": [
                            {"unit_id": world.other_unit.pk, "role": "lead"},
                            {"unit_id": world.unit.pk, "role": "assisting"},
                        ],
                    },
                ],
            },
        )
        assert response.status_code == 200, response.content
        assert [p["status"] for p in response.json()["items"]] == [S.ASSIGNED, S.ASSIGNED]
        assert Proposal.objects.get(pk=later.pk).status == S.ACCEPTED
        assert set(Assignment.objects.values_list("proposal_id", "unit_id", "role")) == {
            (first.pk, world.unit.pk, "lead"),
            (second.pk, world.other_unit.pk, "lead"),
            (second.pk, world.unit.pk, "assisting"),
        }
        assert set(Assignment.objects.values_list("assigned_on", "due_on")) == {
            (dt.date(2026, 2, 10), dt.date(2026, 5, 11))
        }

    def test_a_second_submit_is_a_409_and_assigns_nothing_more(
        self, world: World, clients: dict[str, Client]
    ) -> None:
        first, second = filed(world, status=S.ACCEPTED), filed(world, status=S.ACCEPTED)
        lead = [{"unit_id": world.unit.pk, "role": "lead"}]
        once = {"assigned_on": "2026-02-10", "items": [{"proposal_id": first.pk, "units": lead}]}
        assert post(clients["staff"], f"{BASE}/meeting", once).status_code == 200
        before = assignment_state()
        twice = {
            "assigned_on": "2026-02-10",
            "items": [{"proposal_id": second.pk, "units": lead}, {"proposal_id": first.pk, "units": lead}],
        }
        response = post(clients["staff"], f"{BASE}/meeting", twice)
        assert response.status_code == 409
        assert first.title in response.json()["detail"]
        assert assignment_state() == before

    def test_an_impossible_set_of_units_names_the_proposal_and_assigns_nothing(
        self, world: World, clients: dict[str, Client]
    ) -> None:
        fine, wrong = filed(world, status=S.ACCEPTED), filed(world, status=S.ACCEPTED)
        response = post(
            clients["staff"],
            f"{BASE}/meeting",
            {
                "items": [
                    {"proposal_id": fine.pk, "units": [{"unit_id": world.unit.pk, "role": "lead"}]},
                    {"proposal_id": wrong.pk, "units": [{"unit_id": world.unit.pk, "role": "assisting"}]},
                ]
            },
        )
        assert response.status_code == 400
        assert wrong.title in response.json()["detail"]
        assert not Assignment.objects.exists()
        assert set(Proposal.objects.values_list("status", flat=True)) == {S.ACCEPTED}

    def test_another_councils_unit_is_a_400_and_its_proposal_a_404(
        self, world: World, clients: dict[str, Client]
    ) -> None:
        mine = filed(world, status=S.ACCEPTED)
        foreign_unit = HandlingUnitFactory(council=world.cast.other_city)
        foreign = foreign_proposal(world, status=S.ACCEPTED)
        before = assignment_state()
        with_unit = post(
            clients["staff"],
            f"{BASE}/meeting",
            {"items": [{"proposal_id": mine.pk, "units": [{"unit_id": foreign_unit.pk, "role": "lead"}]}]},
        )
        assert with_unit.status_code == 400
        assert "units" in with_unit.json()["errors"]
        with_proposal = post(
            clients["staff"],
            f"{BASE}/meeting",
            {
                "items": [
                    {"proposal_id": mine.pk, "units": [{"unit_id": world.unit.pk, "role": "lead"}]},
                    {"proposal_id": foreign.pk, "units": [{"unit_id": world.unit.pk, "role": "lead"}]},
                ]
            },
        )
        assert with_proposal.status_code == 404
        assert assignment_state() == before

    def test_a_proposal_listed_twice_is_a_400(self, world: World, clients: dict[str, Client]) -> None:
        proposal = filed(world, status=S.ACCEPTED)
        item = {"proposal_id": proposal.pk, "units": [{"unit_id": world.unit.pk, "role": "lead"}]}
        response = post(clients["staff"], f"{BASE}/meeting", {"items": [item, item]})
        assert response.status_code == 400
        assert not Assignment.objects.exists()

    def test_only_staff_who_assign_may_hold_the_meeting(
        self, world: World, clients: dict[str, Client]
    ) -> None:
        proposal = filed(world, status=S.ACCEPTED)
        run_permission_matrix(
            clients=json_clients(clients),
            method="post",
            url=f"{BASE}/meeting",
            data={
                "assigned_on": "2026-02-10",
                "items": [
                    {"proposal_id": proposal.pk, "units": [{"unit_id": world.unit.pk, "role": "lead"}]}
                ],
            },
            expectations={**REFUSED, "staff": Expect(200, changes=True)},
            snapshot=assignment_state,
        )
        assert Proposal.objects.get().status == S.ASSIGNED


def filer_state() -> list[tuple[Any, ...]]:
    return list(CollectiveFiler.objects.order_by("pk").values_list("pk", "user_id", "body_affiliation_id"))


class TestCollectiveFilers:
    def test_staff_authorise_a_member_who_then_files_in_the_bodys_name(
        self, world: World, clients: dict[str, Client]
    ) -> None:
        party = AffiliationFactory(council=world.cast.city, name="九三学社市委会")
        granted = post(
            clients["staff"],
            f"{BASE}/collective-filers",
            {"user_id": world.cast.member.pk, "body": f"affiliation:{party.pk}"},
        )
        assert granted.status_code == 201, granted.content
        assert (granted.json()["body"], granted.json()["body_name"]) == (
            f"affiliation:{party.pk}",
            "九三学社市委会",
        )
        listed = clients["staff"].get(f"{BASE}/collective-filers").json()
        assert [row["id"] for row in listed["items"]] == [granted.json()["id"]]
        mine = clients["member"].get(f"{BASE}/collective-filers/mine").json()
        assert [row["body"] for row in mine] == [f"affiliation:{party.pk}"]
        created = post(
            clients["member"],
            BASE,
            {
                "title": "关于加强科普阵地建设的建议",
                "suggestions": "建议",
                "file_as": f"affiliation:{party.pk}",
            },
        )
        assert created.status_code == 201, created.content
        assert created.json()["author_name"] == "九三学社市委会"
        assert Proposal.objects.get().author_affiliation == party

    def test_authorising_twice_is_a_409_and_keeps_one_authorisation(
        self, world: World, clients: dict[str, Client]
    ) -> None:
        party = AffiliationFactory(council=world.cast.city)
        data = {"user_id": world.cast.member.pk, "body": f"affiliation:{party.pk}"}
        assert post(clients["staff"], f"{BASE}/collective-filers", data).status_code == 201
        again = post(clients["staff"], f"{BASE}/collective-filers", data)
        assert again.status_code == 409
        assert CollectiveFiler.objects.count() == 1

    def test_a_body_or_person_outside_the_council_is_a_400(
        self, world: World, clients: dict[str, Client]
    ) -> None:
        party = AffiliationFactory(council=world.cast.city)
        foreign = AffiliationFactory(council=world.cast.other_city)
        url = f"{BASE}/collective-filers"
        body = post(
            clients["staff"], url, {"user_id": world.cast.member.pk, "body": f"affiliation:{foreign.pk}"}
        )
        assert (body.status_code, list(body.json()["errors"])) == (400, ["body"])
        person = post(
            clients["staff"], url, {"user_id": world.cast.outsider.pk, "body": f"affiliation:{party.pk}"}
        )
        assert (person.status_code, list(person.json()["errors"])) == (400, ["user_id"])
        assert (
            post(clients["staff"], url, {"user_id": world.cast.member.pk, "body": "party:1"}).status_code
            == 422
        )
        assert not CollectiveFiler.objects.exists()

    def test_filing_for_a_body_without_authorisation_is_refused(
        self, world: World, clients: dict[str, Client]
    ) -> None:
        party = AffiliationFactory(council=world.cast.city)
        response = post(
            clients["member"], BASE, {"title": "关于某事的建议", "file_as": f"affiliation:{party.pk}"}
        )
        assert response.status_code == 403
        assert not Proposal.objects.exists()

    def test_revoking_withdraws_once_then_the_authorisation_is_gone(
        self, world: World, clients: dict[str, Client]
    ) -> None:
        party = AffiliationFactory(council=world.cast.city)
        filer = CollectiveFiler.objects.create(
            council=world.cast.city,
            user=world.cast.member,
            body_affiliation=party,
            granted_by=world.cast.staff,
        )
        url = f"{BASE}/collective-filers/{filer.pk}/revoke"
        assert post(clients["staff"], url, {}).status_code == 204
        assert post(clients["staff"], url, {}).status_code == 404
        assert not CollectiveFiler.objects.exists()

    def test_another_councils_authorisation_is_a_404_and_stays(
        self, world: World, clients: dict[str, Client]
    ) -> None:
        foreign = CollectiveFiler.objects.create(
            council=world.cast.other_city,
            user=world.cast.outsider,
            body_affiliation=AffiliationFactory(council=world.cast.other_city),
            granted_by=world.cast.outsider,
        )
        assert post(clients["staff"], f"{BASE}/collective-filers/{foreign.pk}/revoke", {}).status_code == 404
        assert CollectiveFiler.objects.filter(pk=foreign.pk).exists()

    def test_only_staff_who_review_may_authorise(self, world: World, clients: dict[str, Client]) -> None:
        party = AffiliationFactory(council=world.cast.city)
        run_permission_matrix(
            clients=json_clients(clients),
            method="post",
            url=f"{BASE}/collective-filers",
            data={"user_id": world.cast.member.pk, "body": f"affiliation:{party.pk}"},
            expectations={**REFUSED, "staff": Expect(201, changes=True)},
            snapshot=filer_state,
        )

    def test_only_staff_who_review_may_revoke(self, world: World, clients: dict[str, Client]) -> None:
        party = AffiliationFactory(council=world.cast.city)
        filer = CollectiveFiler.objects.create(
            council=world.cast.city,
            user=world.cast.member,
            body_affiliation=party,
            granted_by=world.cast.staff,
        )
        run_permission_matrix(
            clients=json_clients(clients),
            method="post",
            url=f"{BASE}/collective-filers/{filer.pk}/revoke",
            data={},
            expectations={**REFUSED, "staff": Expect(204, changes=True)},
            snapshot=filer_state,
        )
        assert not CollectiveFiler.objects.exists()

    def test_only_staff_who_review_see_the_authorisations(
        self, world: World, clients: dict[str, Client]
    ) -> None:
        for name, status in {**{n: e.status for n, e in REFUSED.items()}, "staff": 200}.items():
            assert clients[name].get(f"{BASE}/collective-filers").status_code == status, name
