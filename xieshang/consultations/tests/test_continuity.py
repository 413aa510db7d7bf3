"""Continuity across years: runs of consecutive years per theme, from
consultations, plan items and tagged items, and lower councils as counts."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse

from xieshang.consultations.actions import continuity as actions
from xieshang.consultations.tests.conftest import World
from xieshang.consultations.tests.factories import ConsultationFactory
from xieshang.councils.tests.expectations import in_english
from xieshang.themes.actions import tag_item
from xieshang.themes.models import Theme, ThemeTag

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("years", "expected"),
    [
        ([], (0, None)),
        ([2024], (1, 2024)),
        ([2020, 2021, 2022], (3, 2022)),
        ([2019, 2020, 2021, 2022, 2024], (4, 2022)),
        ([2026, 2022, 2023, 2024, 2025, 2019], (5, 2026)),
        ([2018, 2019, 2021, 2022], (2, 2022)),
        ([2021, 2021, 2022], (2, 2022)),
    ],
)
def test_the_longest_run_of_consecutive_years(years: list[int], expected: tuple[int, int | None]) -> None:
    assert actions.longest_run(years) == expected


def consult(world: World, council_name: str, theme: str, *years: int) -> None:
    council = getattr(world.cast, council_name)
    for year in years:
        consultation = ConsultationFactory(council=council, created_by=world.cast.staff, year=year)
        consultation.themes.add(Theme.objects.get_or_create(council=council, name=theme)[0])


def test_themes_followed_three_four_and_five_years_in_a_row(world: World) -> None:
    consult(world, "city", "乡村振兴", 2022, 2023, 2024, 2025, 2026)
    consult(world, "city", "营商环境", 2021, 2023, 2024, 2025, 2026)
    consult(world, "city", "生态环境", 2024, 2025)
    staff = world.actor("staff")
    report = tag_item(world.cast.member_record, year=2026, names=["生态环境"], actor=staff)
    assert len(report) == 1
    result = actions.continuity(staff)
    runs = {t.name: (t.run, t.run_until) for t in result.themes}
    assert runs == {"乡村振兴": (5, 2026), "营商环境": (4, 2026), "生态环境": (3, 2026)}
    assert [t.name for t in result.themes] == ["乡村振兴", "营商环境", "生态环境"]
    assert result.years == [2021, 2022, 2023, 2024, 2025, 2026]


def tag_of_kind(world: World, app_label: str, model: str, object_id: int, year: int, theme: str) -> None:
    """A tag as the proposals and opinions apps make them (this app may not
    import them): by the content type of the item."""
    ThemeTag.objects.create(
        council=world.cast.city,
        theme=Theme.objects.get_or_create(council=world.cast.city, name=theme)[0],
        content_type=ContentType.objects.get_by_natural_key(app_label, model),
        object_id=object_id,
        year=year,
    )


def test_tagged_proposals_and_opinion_reports_count_in_their_years_and_columns(
    world: World, clients: dict[str, Client]
) -> None:
    tag_of_kind(world, "proposals", "proposal", 7, 2026, "营商环境")
    tag_of_kind(world, "proposals", "proposal", 8, 2025, "营商环境")
    tag_of_kind(world, "opinions", "opinionreport", 7, 2024, "营商环境")
    tag_item(world.cast.member_record, year=2024, names=["营商环境"], actor=world.actor("staff"))
    page = clients["staff"].get(reverse("consultations:themes", kwargs={"council_slug": "city"}))
    [theme] = page.context["result"].themes
    assert theme.counts == {2024: 2, 2025: 1, 2026: 1}
    assert (theme.proposals, theme.opinion_reports) == (2, 1)
    body = page.content.decode()
    assert 'data-testid="tagged-proposals">2<' in body and 'data-testid="tagged-opinion-reports">1<' in body


def test_an_upper_council_sees_its_lower_councils_as_counts_and_others_see_nothing_of_them(
    world: World,
) -> None:
    consult(world, "county", "乡村振兴", 2024, 2025, 2026)
    consult(world, "other_city", "乡村振兴", 2026)
    result = actions.continuity(world.actor("staff"))
    assert [(c.slug, [(t.name, t.counts) for t in ts]) for c, ts in result.lower] == [
        ("county", [("乡村振兴", {2024: 1, 2025: 1, 2026: 1})])
    ]


def test_the_themes_page_shows_runs_for_staff_and_leaders_only(
    world: World, clients: dict[str, Client]
) -> None:
    consult(world, "city", "乡村振兴", 2023, 2024, 2025, 2026)
    consult(world, "county", "县域经济", 2025, 2026)
    page = in_english(clients["staff"]).get(reverse("consultations:themes", args=["city"]))
    text = page.content.decode()
    assert "followed 4 years in a row" in text and "县域经济" in text
    assert clients["leader"].get(reverse("consultations:themes", args=["city"])).status_code == 200
    assert clients["member"].get(reverse("consultations:themes", args=["city"])).status_code == 403
    assert clients["outsider"].get(reverse("consultations:themes", args=["city"])).status_code == 404
