"""The default lists (categories, grounds for not accepting, reply
categories) come with a new council, created by the platform administrator
and audited; no page creates them while it is read."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied

from xieshang.core.models import AuditEntry
from xieshang.councils.actions.platform import create_council
from xieshang.councils.models import Council, Level
from xieshang.proposals.actions.config import create_default_lists
from xieshang.proposals.models import DeclineReason, ProposalCategory, ReplyCategory
from xieshang.proposals.states import ProposalStatus
from xieshang.proposals.tests.factories import AssignmentFactory, ProposalFactory

pytestmark = pytest.mark.django_db
LISTS = (ProposalCategory, DeclineReason, ReplyCategory)


def list_sizes(council: Council) -> list[int]:
    return [model.objects.filter(council=council).count() for model in LISTS]


def test_a_new_council_comes_with_the_default_lists_audited_as_its_creator(cast):
    council = create_council(
        user=cast.platform, slug="zj", name="浙江省政协", level=Level.PROVINCE, parent=None
    )
    assert list_sizes(council) == [10, 10, 3]
    assert ReplyCategory.objects.get(council=council, code="B").needs_follow_up
    entry = AuditEntry.objects.get(action="proposals.default_lists.create")
    assert (entry.council_slug, entry.user_id_copy) == ("zj", cast.platform.pk)
    assert entry.data == {"decline_reasons": 10, "categories": 10, "reply_categories": 3}


def test_a_refused_council_creation_leaves_no_lists_and_no_entry(cast):
    with pytest.raises(PermissionDenied):
        create_council(user=cast.admin, slug="zj", name="浙江省政协", level=Level.PROVINCE, parent=None)
    assert not ProposalCategory.objects.exists()
    assert not AuditEntry.objects.filter(action="proposals.default_lists.create").exists()


def test_lists_are_created_once_and_kept_as_the_council_edited_them(cast):
    ProposalCategory.objects.create(council=cast.city, name="本会自定类别")
    created = create_default_lists(cast.city, user=cast.admin)
    assert created == {"decline_reasons": 10, "categories": 0, "reply_categories": 3}
    assert create_default_lists(cast.city, user=cast.admin) == dict.fromkeys(created, 0)
    assert list(ProposalCategory.objects.filter(council=cast.city).values_list("name", flat=True)) == [
        "本会自定类别"
    ]
    assert AuditEntry.objects.filter(action="proposals.default_lists.create").count() == 1


@pytest.mark.parametrize(
    ("persona", "url"),
    [
        ("member", "/c/city/proposals/new/"),
        ("staff", "/c/city/proposals/{submitted}/decline/"),
        ("liaison", "/c/city/proposals/assignments/{assignment}/"),
    ],
)
def test_reading_a_proposal_page_writes_no_lists(cast, clients, persona, url):
    submitted = ProposalFactory(council=cast.city, category=None, status=ProposalStatus.SUBMITTED)
    assigned = ProposalFactory(council=cast.city, category=None, status=ProposalStatus.ASSIGNED)
    unit = cast.liaison.council_roles.get().handling_unit
    assignment = AssignmentFactory(council=cast.city, proposal=assigned, unit=unit)
    before = AuditEntry.objects.count()
    response = clients[persona].get(url.format(submitted=submitted.pk, assignment=assignment.pk))
    assert response.status_code == 200
    assert list_sizes(cast.city) == [0, 0, 0]
    assert AuditEntry.objects.count() == before


def test_the_migration_gives_lists_to_councils_without_them(cast):
    migration = importlib.import_module("xieshang.proposals.migrations.0007_default_lists_for_every_council")
    DeclineReason.objects.create(council=cast.city, name="本会自定理由")
    migration.create_missing_lists(apps, None)
    assert list_sizes(cast.province) == [10, 10, 3]
    assert list_sizes(cast.city) == [10, 1, 3]
