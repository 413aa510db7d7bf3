"""Tagging any item of a council with themes: the actions every taggable
app calls (proposals and opinion reports test their own pages and API).
The item here is a member record, a row of an app below this one; the
actions care only that it belongs to the council."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from conftest import Cast
from xieshang.core.errors import Conflict
from xieshang.core.models import AuditEntry
from xieshang.core.testing import assert_nothing_changed
from xieshang.councils.tests.factories import MemberFactory
from xieshang.themes.actions import tag_item, themes_named, untag_item
from xieshang.themes.models import Theme, ThemeTag
from xieshang.themes.queries import tag_counts, tags_of

pytestmark = pytest.mark.django_db

API = "/api/v1/c"


def tags() -> list[tuple[str, int, int]]:
    return sorted(ThemeTag.objects.values_list("theme__name", "object_id", "year"))


def test_staff_tag_an_item_with_an_existing_and_a_new_theme_each_kept_once(cast: Cast) -> None:
    Theme.objects.create(council=cast.city, name="乡村振兴")
    item = cast.member_record
    made = tag_item(item, year=2025, names=["乡村振兴", " 数字政府 ", "乡村振兴"], actor=cast.actor("staff"))
    assert [t.theme.name for t in made] == ["乡村振兴", "数字政府"]
    tag_item(item, year=2025, names=["数字政府"], actor=cast.actor("staff"))
    assert tags() == [("乡村振兴", item.pk, 2025), ("数字政府", item.pk, 2025)]
    assert [t.theme.name for t in tags_of(item)] == ["乡村振兴", "数字政府"]
    assert Theme.objects.filter(council=cast.city).count() == 2
    assert AuditEntry.objects.filter(action="themes.tagged").count() == 2


def test_empty_names_are_refused_on_names_and_nothing_is_made(cast: Cast) -> None:
    for names in ([" "], [], ["  ", "\t"]):
        with assert_nothing_changed(Theme, ThemeTag), pytest.raises(ValidationError) as refused:
            tag_item(cast.member_record, year=2026, names=names, actor=cast.actor("staff"))
        assert refused.value.message_dict == {"names": ["Choose or type a theme."]}


@pytest.mark.parametrize("name", ["member", "leader", "liaison", "oversight", "admin"])
def test_only_staff_who_prepare_consultations_tag(cast: Cast, name: str) -> None:
    with assert_nothing_changed(Theme, ThemeTag), pytest.raises(PermissionDenied):
        tag_item(cast.member_record, year=2026, names=["乡村振兴"], actor=cast.actor(name))


def test_another_councils_item_is_refused(cast: Cast) -> None:
    far = MemberFactory(council=cast.other_city)
    with assert_nothing_changed(Theme, ThemeTag), pytest.raises(PermissionDenied):
        tag_item(far, year=2026, names=["乡村振兴"], actor=cast.actor("staff"))


def test_staff_remove_a_theme_and_the_removal_is_audited(cast: Cast) -> None:
    item = cast.member_record
    [_kept, removed] = tag_item(item, year=2026, names=["乡村振兴", "数字政府"], actor=cast.actor("staff"))
    untag_item(removed, item=item, actor=cast.actor("staff"))
    assert tags() == [("乡村振兴", item.pk, 2026)]
    entry = AuditEntry.objects.get(action="themes.untagged")
    assert entry.data == {"theme": "数字政府"}


def test_a_tag_is_removed_only_through_its_own_item(cast: Cast) -> None:
    item, other = cast.member_record, MemberFactory(council=cast.city, term=cast.term)
    [tag] = tag_item(other, year=2026, names=["生态环境"], actor=cast.actor("staff"))
    with assert_nothing_changed(ThemeTag), pytest.raises(PermissionDenied):
        untag_item(tag, item=item, actor=cast.actor("staff"))
    with assert_nothing_changed(ThemeTag), pytest.raises(PermissionDenied):
        untag_item(tag, item=other, actor=cast.actor("member"))
    assert tags() == [("生态环境", other.pk, 2026)]


def test_another_councils_tag_is_not_removed(cast: Cast) -> None:
    far = MemberFactory(council=cast.other_city)
    [tag] = tag_item(far, year=2026, names=["城市更新"], actor=cast.actor("outsider", "other_city"))
    with assert_nothing_changed(ThemeTag), pytest.raises(PermissionDenied):
        untag_item(tag, item=far, actor=cast.actor("staff"))


def test_removing_a_theme_someone_removed_meanwhile_is_a_conflict(cast: Cast) -> None:
    item = cast.member_record
    [tag] = tag_item(item, year=2026, names=["生态环境"], actor=cast.actor("staff"))
    ThemeTag.objects.filter(pk=tag.pk).delete()  # the other request won
    with pytest.raises(Conflict):
        untag_item(tag, item=item, actor=cast.actor("staff"))
    assert tags() == []


def test_themes_named_trims_cuts_and_creates_only_the_missing(cast: Cast) -> None:
    Theme.objects.create(council=cast.city, name="乡村振兴")
    Theme.objects.create(council=cast.other_city, name="营商环境")
    named = themes_named(cast.actor("staff"), [" 乡村振兴", "", "营商环境", "长" * 60, "营商环境"])
    assert [t.name for t in named] == ["乡村振兴", "营商环境", "长" * 50]
    assert {t.council_id for t in named} == {cast.city.pk}
    assert Theme.objects.count() == 4


def test_tag_counts_are_per_theme_year_and_kind_of_item(cast: Cast) -> None:
    staff = cast.actor("staff")
    tag_item(cast.member_record, year=2025, names=["乡村振兴"], actor=staff)
    tag_item(MemberFactory(council=cast.city, term=cast.term), year=2025, names=["乡村振兴"], actor=staff)
    tag_item(
        MemberFactory(council=cast.other_city),
        year=2025,
        names=["乡村振兴"],
        actor=cast.actor("outsider", "other_city"),
    )
    assert [
        (r["theme__name"], r["year"], r["content_type__model"], r["n"]) for r in tag_counts(cast.city)
    ] == [("乡村振兴", 2025, "member", 2)]


def test_the_councils_themes_are_listed_for_staff_and_leaders_only(
    cast: Cast, clients: dict[str, Client]
) -> None:
    Theme.objects.create(council=cast.city, name="乡村振兴")
    Theme.objects.create(council=cast.other_city, name="城市更新")
    assert clients["leader"].get(f"{API}/city/themes").json() == ["乡村振兴"]
    assert clients["staff"].get(f"{API}/city/themes").json() == ["乡村振兴"]
    assert clients["outsider"].get(f"{API}/othercity/themes").json() == ["城市更新"]
    for name, status in {"member": 403, "liaison": 403, "outsider": 404, "anonymous": 401}.items():
        assert clients[name].get(f"{API}/city/themes").status_code == status, name
