"""A forwarded report carries its files: the council it was forwarded up to
and the office it was sent to list and download the member's Word file;
a council or office that did not receive it gets the same 404 as for a
file that does not exist."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from conftest import Cast
from xieshang.core.attachments import DOCUMENTS, store_upload
from xieshang.core.models import Attachment
from xieshang.core.testing import assert_nothing_changed, assert_same_not_found, parse_html
from xieshang.core.tests.hostile_files import word_document
from xieshang.councils.models import Role
from xieshang.councils.tests.factories import CouncilRoleFactory, OversightOfficeFactory, UserFactory
from xieshang.opinions.actions.filing import file_opinion_report
from xieshang.opinions.actions.forwarding import adopt_received, forward_received, forward_report
from xieshang.opinions.actions.review import adopt_report
from xieshang.opinions.models import Forwarding, OpinionReport
from xieshang.opinions.tests.conftest import World

pytestmark = pytest.mark.django_db
NAME = "调研报告.docx"


def url(name: str, council: str, **kwargs: object) -> str:
    return reverse(f"opinions:{name}", kwargs={"council_slug": council, **kwargs})


@pytest.fixture(autouse=True)
def _clean_storage() -> Iterator[None]:
    yield
    for row in Attachment.objects.all():
        default_storage.delete(row.stored_name)


def with_file(world: World) -> tuple[OpinionReport, Attachment]:
    """The member files a report with a Word file; the city adopts it."""
    stored = store_upload(
        SimpleUploadedFile(NAME, word_document("调研报告"), content_type="application/octet-stream"),
        council=world.cast.city,
        user=world.cast.member,
        allowed_kinds=DOCUMENTS,
    )
    report = file_opinion_report(actor=world.actor("member"), content=world.content(), attachments=[stored])
    return adopt_report(report, actor=world.actor("staff")), stored


def up_to_province(world: World) -> tuple[Forwarding, Attachment]:
    report, stored = with_file(world)
    [up] = forward_report(report, actor=world.actor("staff"), target="parent")
    return up, stored


def to_city_office(world: World, report: OpinionReport) -> Forwarding:
    [sent] = forward_report(
        report, actor=world.actor("staff"), target="oversight", offices=[world.city_office]
    )
    return sent


def client_of(user: object) -> Client:
    client = Client()
    client.force_login(user, backend="xieshang.accounts.backends.UsernameOrMobileBackend")  # type: ignore[arg-type]
    return client


def test_the_province_lists_the_forwarded_reports_file(world: World, clients: dict[str, Client]) -> None:
    up, stored = up_to_province(world)
    page = parse_html(clients["upper"].get(url("received_detail", "province", pk=up.pk)).content)
    [link] = page.find_all("a", data_testid="report-file")
    assert link.text == NAME
    assert link.attrs["href"] == url("received_attachment", "province", pk=up.pk, attachment_id=stored.pk)


def test_the_province_downloads_the_forwarded_reports_file(world: World, clients: dict[str, Client]) -> None:
    up, stored = up_to_province(world)
    response = clients["upper"].get(url("received_attachment", "province", pk=up.pk, attachment_id=stored.pk))
    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:2] == b"PK"  # type: ignore[attr-defined]
    assert "filename*=UTF-8''" in response["Content-Disposition"]


def test_the_city_office_lists_and_downloads_the_file(world: World, clients: dict[str, Client]) -> None:
    report, stored = with_file(world)
    [sent] = forward_report(
        report, actor=world.actor("staff"), target="oversight", offices=[world.city_office]
    )
    page = parse_html(clients["oversight"].get(url("office_item", "city", pk=sent.pk)).content)
    assert [a.text for a in page.find_all("a", data_testid="report-file")] == [NAME]
    link = url("office_attachment", "city", pk=sent.pk, attachment_id=stored.pk)
    assert clients["oversight"].get(link).status_code == 200


def test_the_provinces_office_gets_the_file_of_a_report_forwarded_on(
    world: World, clients: dict[str, Client]
) -> None:
    """City → province (adopted there) → the province's party-committee office."""
    up, stored = up_to_province(world)
    adopt_received(up, actor=world.actor("upper", "province"))
    [sent] = forward_received(
        up, actor=world.actor("upper", "province"), target="oversight", offices=[world.province_office]
    )
    office = client_of(world.province_oversight)
    link = url("office_attachment", "province", pk=sent.pk, attachment_id=stored.pk)
    assert office.get(link).status_code == 200


@pytest.mark.parametrize("who", ["outsider", "member", "liaison"])
def test_who_did_not_receive_the_report_gets_the_same_404(
    world: World, clients: dict[str, Client], who: str
) -> None:
    up, stored = up_to_province(world)
    with_file(world)  # another report, adopted in the city and never forwarded
    for council in ("province", "othercity"):
        with assert_nothing_changed(stored, Forwarding):
            assert_same_not_found(
                clients[who],
                url("received_attachment", council, pk=up.pk, attachment_id=stored.pk),
                url("received_attachment", council, pk=99999, attachment_id=stored.pk),
            )


def test_a_file_of_another_report_is_not_reached_through_a_forwarding(
    world: World, clients: dict[str, Client]
) -> None:
    up, _stored = up_to_province(world)
    _other, other_file = with_file(world)
    assert_same_not_found(
        clients["upper"],
        url("received_attachment", "province", pk=up.pk, attachment_id=other_file.pk),
        url("received_attachment", "province", pk=up.pk, attachment_id=99999),
    )


def test_an_office_that_was_not_sent_the_report_gets_the_same_404(world: World, cast: Cast) -> None:
    report, stored = with_file(world)
    [sent] = forward_report(
        report, actor=world.actor("staff"), target="oversight", offices=[world.city_office]
    )
    other_office = OversightOfficeFactory(council=cast.city, name="市政府办公室", kind="government")
    gov = UserFactory(username="gov_user")
    CouncilRoleFactory(user=gov, council=cast.city, role=Role.OVERSIGHT, oversight_office=other_office)
    assert_same_not_found(
        client_of(gov),
        url("office_attachment", "city", pk=sent.pk, attachment_id=stored.pk),
        url("office_attachment", "city", pk=99999, attachment_id=stored.pk),
    )
