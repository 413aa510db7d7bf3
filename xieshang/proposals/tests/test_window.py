"""The session window: session proposals are filed in the window before and
during the plenary, regular proposals at any time (DOMAIN.md §1).

The world's plenary (session 14-3) sits from 10 to 14 January 2026, so by
default its window runs from 11 December 2025 (30 days before) to 14 January
2026. Councils may set the dates per year on the settings page.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from xieshang.core.testing import run_permission_matrix
from xieshang.councils.actions.settings import change_setting, reset_setting
from xieshang.councils.models import CouncilSetting
from xieshang.councils.queries import get_setting
from xieshang.councils.tests.expectations import admin_only
from xieshang.proposals.actions.filing import save_draft, submit_proposal
from xieshang.proposals.actions.review import return_for_revision
from xieshang.proposals.models import Proposal
from xieshang.proposals.states import ProposalStatus, Window
from xieshang.proposals.tests.conftest import World
from xieshang.proposals.tests.factories import SessionFactory
from xieshang.proposals.window import SessionWindow, session_window, window_status

pytestmark = pytest.mark.django_db
S = ProposalStatus
TZ = ZoneInfo("Asia/Shanghai")


def on(day: dt.date) -> Any:
    """Travel to the middle of day in the council's time zone."""
    return time_machine.travel(dt.datetime(day.year, day.month, day.day, 10, 0, tzinfo=TZ), tick=False)


def url(name: str, **kwargs: Any) -> str:
    return reverse(f"proposals:{name}", kwargs={"council_slug": "city", **kwargs})


@pytest.fixture
def plenary_window(world: World) -> World:
    """The world without its all-year window: the plenary's dates decide."""
    CouncilSetting.objects.filter(council=world.cast.city, key__startswith="session_window").delete()
    return world


def set_window(world: World, opens: str, closes: str, year: int = 2026) -> None:
    change_setting(
        actor=world.actor("admin"), key="session_window_opens_on", raw_value=opens, year=year, reason="通知"
    )
    change_setting(
        actor=world.actor("admin"), key="session_window_closes_on", raw_value=closes, year=year, reason="通知"
    )


def window_errors(excinfo: pytest.ExceptionInfo[ValidationError]) -> list[str]:
    return excinfo.value.message_dict.get("window", [])


class TestTheWindow:
    def test_by_default_it_opens_thirty_days_before_the_plenary_and_closes_with_it(
        self, plenary_window: World
    ) -> None:
        assert session_window(plenary_window.cast.city, 2026) == SessionWindow(
            year=2026, opens_on=dt.date(2025, 12, 11), closes_on=dt.date(2026, 1, 14)
        )

    def test_the_days_before_the_plenary_are_a_setting(self, plenary_window: World) -> None:
        change_setting(
            actor=plenary_window.actor("admin"),
            key="session_window_days_before",
            raw_value="10",
            reason="通知",
        )
        window = session_window(plenary_window.cast.city, 2026)
        assert window is not None and window.opens_on == dt.date(2025, 12, 31)

    def test_dates_set_for_the_year_replace_the_plenary_dates_one_side_at_a_time(
        self, plenary_window: World
    ) -> None:
        change_setting(
            actor=plenary_window.actor("admin"),
            key="session_window_closes_on",
            raw_value="2026-01-31",
            year=2026,
            reason="延长",
        )
        window = session_window(plenary_window.cast.city, 2026)
        assert window == SessionWindow(
            year=2026, opens_on=dt.date(2025, 12, 11), closes_on=dt.date(2026, 1, 31)
        )

    def test_a_year_without_plenary_or_dates_has_no_window(self, plenary_window: World) -> None:
        assert session_window(plenary_window.cast.city, 2030) is None

    def test_in_december_the_window_of_next_years_plenary_is_the_open_one(
        self, plenary_window: World
    ) -> None:
        status = window_status(plenary_window.cast.city, dt.date(2025, 12, 20))
        assert status.is_open and status.current is not None and status.current.year == 2026

    def test_after_the_plenary_the_next_known_window_is_announced(self, plenary_window: World) -> None:
        SessionFactory(
            council=plenary_window.cast.city,
            term=plenary_window.cast.term,
            number=4,
            year=2027,
            opens_on=dt.date(2027, 1, 8),
            closes_on=dt.date(2027, 1, 12),
        )
        status = window_status(plenary_window.cast.city, dt.date(2026, 6, 1))
        assert not status.is_open
        assert status.upcoming is not None and status.upcoming.opens_on == dt.date(2026, 12, 9)


class TestSubmittingAtTheEdges:
    @pytest.mark.parametrize(
        ("day", "accepted"),
        [
            (dt.date(2025, 12, 10), False),
            (dt.date(2025, 12, 11), True),
            (dt.date(2026, 1, 14), True),
            (dt.date(2026, 1, 15), False),
        ],
    )
    def test_session_proposal_by_the_plenary_dates(
        self, plenary_window: World, day: dt.date, accepted: bool
    ) -> None:
        with on(day):
            draft = plenary_window.draft()
            if accepted:
                assert submit_proposal(draft, actor=plenary_window.actor("member")).status == S.SUBMITTED
                return
            with pytest.raises(ValidationError) as excinfo:
                submit_proposal(draft, actor=plenary_window.actor("member"))
        assert window_errors(excinfo)
        assert Proposal.objects.get(pk=draft.pk).status == S.DRAFT

    @pytest.mark.parametrize(
        ("day", "accepted"),
        [
            (dt.date(2026, 1, 12), False),  # during the plenary, but the council set other dates
            (dt.date(2026, 1, 31), False),
            (dt.date(2026, 2, 1), True),
            (dt.date(2026, 2, 10), True),
            (dt.date(2026, 2, 11), False),
        ],
    )
    def test_session_proposal_by_dates_the_council_set(
        self, plenary_window: World, day: dt.date, accepted: bool
    ) -> None:
        set_window(plenary_window, "2026-02-01", "2026-02-10")
        with on(day):
            draft = plenary_window.draft()
            if accepted:
                assert submit_proposal(draft, actor=plenary_window.actor("member")).status == S.SUBMITTED
                return
            with pytest.raises(ValidationError) as excinfo:
                submit_proposal(draft, actor=plenary_window.actor("member"))
        [message] = window_errors(excinfo)
        assert "2026" in message  # names the window that applies
        assert Proposal.objects.get(pk=draft.pk).status == S.DRAFT

    def test_without_any_plenary_the_window_is_closed(self, plenary_window: World) -> None:
        with on(dt.date(2029, 3, 1)):
            draft = plenary_window.draft()
            with pytest.raises(ValidationError) as excinfo:
                submit_proposal(draft, actor=plenary_window.actor("member"))
        assert window_errors(excinfo)

    def test_regular_proposal_is_filed_at_any_time(self, plenary_window: World) -> None:
        with on(dt.date(2026, 7, 1)):
            draft = plenary_window.draft()
            Proposal.objects.filter(pk=draft.pk).update(window=Window.REGULAR)
            assert submit_proposal(draft, actor=plenary_window.actor("member")).status == S.SUBMITTED

    def test_a_session_draft_may_be_saved_outside_the_window(self, plenary_window: World) -> None:
        with on(dt.date(2026, 7, 1)):
            draft = plenary_window.draft()
        assert (draft.status, draft.window) == (S.DRAFT, Window.SESSION)

    def test_missing_suggestions_and_the_closed_window_are_told_together(self, plenary_window: World) -> None:
        with on(dt.date(2026, 7, 1)):
            draft = plenary_window.draft()
            Proposal.objects.filter(pk=draft.pk).update(suggestions="")
            with pytest.raises(ValidationError) as excinfo:
                submit_proposal(draft, actor=plenary_window.actor("member"))
        assert set(excinfo.value.message_dict) == {"suggestions", "window"}

    def test_a_returned_session_proposal_is_filed_again_after_the_window(self, plenary_window: World) -> None:
        with on(dt.date(2026, 1, 12)):
            proposal = submit_proposal(plenary_window.draft(), actor=plenary_window.actor("member"))
        with on(dt.date(2026, 2, 20)):
            return_for_revision(proposal, actor=plenary_window.actor("staff"), reason="请补充分析")
            again = submit_proposal(proposal, actor=plenary_window.actor("member"))
        assert again.status == S.SUBMITTED

    def test_a_returned_regular_proposal_cannot_become_a_session_one(self, plenary_window: World) -> None:
        with on(dt.date(2026, 7, 1)):
            draft = save_draft(
                None,
                actor=plenary_window.actor("member"),
                content=plenary_window.content(window=Window.REGULAR),
            )
            proposal = submit_proposal(draft, actor=plenary_window.actor("member"))
            return_for_revision(proposal, actor=plenary_window.actor("staff"), reason="请补充分析")
            proposal.refresh_from_db()
            with pytest.raises(ValidationError) as excinfo:
                save_draft(
                    proposal,
                    actor=plenary_window.actor("member"),
                    content=plenary_window.content(window=Window.SESSION, title="改为大会提案"),
                    expected_version=proposal.version,
                )
        assert window_errors(excinfo)
        proposal.refresh_from_db()
        assert (proposal.status, proposal.window, proposal.title) == (S.RETURNED, Window.REGULAR, draft.title)


class TestFilingPage:
    def test_open_window_is_shown_and_session_offered(
        self, plenary_window: World, clients: dict[str, Client]
    ) -> None:
        with on(dt.date(2026, 1, 5)):
            response = clients["member"].get(url("create"))
        window = response.context["window"]
        assert window.is_open and window.current.closes_on == dt.date(2026, 1, 14)
        assert [value for value, _label in response.context["form"].fields["window"].choices] == [
            "session",
            "regular",
        ]
        assert 'data-testid="session-window"' in response.content.decode()

    def test_closed_window_offers_only_a_regular_proposal(
        self, plenary_window: World, clients: dict[str, Client]
    ) -> None:
        with on(dt.date(2026, 7, 1)):
            page = clients["member"].get(url("create"))
            posted = clients["member"].post(
                url("create"), form_data(plenary_window, window="session", submit="1")
            )
        assert not page.context["window"].is_open
        assert [value for value, _label in page.context["form"].fields["window"].choices] == ["regular"]
        assert posted.status_code == 200 and posted.context["form"].errors["window"]
        assert not Proposal.objects.exists()

    def test_closed_window_regular_proposal_is_submitted(
        self, plenary_window: World, clients: dict[str, Client]
    ) -> None:
        with on(dt.date(2026, 7, 1)):
            response = clients["member"].post(
                url("create"), form_data(plenary_window, window="regular", submit="1")
            )
        assert response.status_code == 302
        assert Proposal.objects.get().status == S.SUBMITTED

    def test_session_draft_after_the_window_explains_on_the_field_and_keeps_the_text(
        self, plenary_window: World, clients: dict[str, Client]
    ) -> None:
        with on(dt.date(2026, 1, 5)):
            draft = plenary_window.draft()
        with on(dt.date(2026, 7, 1)):
            response = clients["member"].post(
                url("edit", pk=draft.pk),
                form_data(
                    plenary_window, window="session", submit="1", version=draft.version, analysis="新的分析"
                ),
            )
        assert response.status_code == 200
        assert response.context["form"].errors["window"]
        assert "新的分析" in response.content.decode()
        assert Proposal.objects.get(pk=draft.pk).status == S.DRAFT


def form_data(world: World, **changes: Any) -> dict[str, Any]:
    data = {
        "title": "关于推进老旧小区加装电梯的建议",
        "category": world.category.pk,
        "situation": "老旧小区多为六层以下住宅，老年居民上下楼困难。",
        "analysis": "加装电梯涉及业主协商、资金分摊和审批流程。",
        "suggestions": "一是简化审批；二是设立专项补贴。",
    }
    data.update(changes)
    return data


def test_api_submission_outside_the_window_is_refused_on_the_window_field(
    plenary_window: World, clients: dict[str, Client]
) -> None:
    base = "/api/v1/c/city/proposals"
    with on(dt.date(2026, 7, 1)):
        created = clients["member"].post(
            base,
            json.dumps({**form_data(plenary_window), "category_id": plenary_window.category.pk}),
            content_type="application/json",
        )
        assert created.status_code == 201, created.content
        refused = clients["member"].post(
            f"{base}/{created.json()['id']}/submit",
            json.dumps({"version": created.json()["version"]}),
            content_type="application/json",
        )
    assert refused.status_code == 400
    assert "window" in refused.content.decode()
    assert Proposal.objects.get().status == S.DRAFT


class TestSettingsPage:
    EDIT = "/c/city/admin/settings/session_window_opens_on/"

    def test_administrator_sets_and_clears_a_date_for_a_year(
        self, plenary_window: World, clients: dict[str, Client]
    ) -> None:
        city = plenary_window.cast.city
        saved = clients["admin"].post(self.EDIT, {"value": "2026-12-01", "year": "2027", "reason": "通知"})
        assert saved.status_code == 302
        assert get_setting(city, "session_window_opens_on", year=2027) == "2026-12-01"
        page = clients["admin"].get(self.EDIT).content.decode()
        assert "2026-12-01" in page
        overview = clients["admin"].get("/c/city/admin/settings/").content.decode()
        assert "2027: 2026-12-01" in overview
        assert "the day the plenary closes" in overview  # what the empty closing date means
        cleared = clients["admin"].post(self.EDIT, {"value": "", "year": "2027", "reason": "按会期"})
        assert cleared.status_code == 302
        assert get_setting(city, "session_window_opens_on", year=2027) is None

    @pytest.mark.parametrize(
        ("value", "year", "field"),
        [
            ("2026-13-01", "2027", "value"),  # no such month
            ("下个月", "2027", "value"),
            ("2026-12-01", "", "year"),  # a date without its year
            ("2027-02-01", "2026", "value"),  # after the closing date set for 2026
        ],
    )
    def test_bad_dates_are_refused_next_to_the_field_and_nothing_saved(
        self, plenary_window: World, clients: dict[str, Client], value: str, year: str, field: str
    ) -> None:
        change_setting(
            actor=plenary_window.actor("admin"),
            key="session_window_closes_on",
            raw_value="2026-01-20",
            year=2026,
            reason="r",
        )
        before = CouncilSetting.objects.count()
        response = clients["admin"].post(self.EDIT, {"value": value, "year": year, "reason": "通知"})
        assert response.status_code == 400
        assert response.context["form"].errors[field]
        assert CouncilSetting.objects.count() == before

    def test_resetting_a_date_goes_back_to_the_plenary_dates(self, plenary_window: World) -> None:
        set_window(plenary_window, "2026-01-05", "2026-02-10")
        reset_setting(
            actor=plenary_window.actor("admin"), key="session_window_opens_on", year=2026, reason="恢复"
        )
        assert get_setting(plenary_window.cast.city, "session_window_opens_on", year=2026) is None
        assert session_window(plenary_window.cast.city, 2026) == SessionWindow(
            year=2026, opens_on=dt.date(2025, 12, 11), closes_on=dt.date(2026, 2, 10)
        )

    def test_a_date_for_all_years_is_refused_by_the_action_too(self, plenary_window: World) -> None:
        with pytest.raises(ValueError, match="one year"):
            change_setting(
                actor=plenary_window.actor("admin"),
                key="session_window_opens_on",
                raw_value="2026-12-01",
                reason="r",
            )
        assert not CouncilSetting.objects.filter(key="session_window_opens_on").exists()

    def test_closing_date_before_the_opening_date_is_refused(self, plenary_window: World) -> None:
        change_setting(
            actor=plenary_window.actor("admin"),
            key="session_window_opens_on",
            raw_value="2026-01-01",
            year=2026,
            reason="r",
        )
        with pytest.raises(ValueError, match="2026-01-01"):
            change_setting(
                actor=plenary_window.actor("admin"),
                key="session_window_closes_on",
                raw_value="2025-12-31",
                year=2026,
                reason="r",
            )

    def test_only_administrators_change_the_window(
        self, plenary_window: World, clients: dict[str, Client]
    ) -> None:
        city = plenary_window.cast.city
        run_permission_matrix(
            clients=clients,
            method="post",
            url=self.EDIT,
            data={"value": "2026-12-01", "year": "2027", "reason": "通知"},
            expectations=admin_only(),
            snapshot=lambda: list(
                CouncilSetting.objects.filter(council=city).values_list("key", "year", "value")
            ),
            reset=lambda: CouncilSetting.objects.filter(council=city, key="session_window_opens_on").delete(),
        )
