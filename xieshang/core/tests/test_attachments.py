"""Attachments: the content decides the type, the name must agree, sizes are
limited, names are kept for display but never used as paths, and downloads
keep Chinese names."""

from __future__ import annotations

import hashlib
import io
import zipfile
from urllib.parse import quote

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from openpyxl import Workbook

from xieshang.core.attachments import (
    DOCUMENTS,
    IMAGES,
    attach,
    attachment_response,
    attachments_of,
    clean_filename,
    store_upload,
)
from xieshang.core.models import Attachment
from xieshang.core.tasks import purge_unattached_attachments
from xieshang.core.tests.hostile_files import word_document

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64
JPG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 200
TEXT = "第一次会议纪要：请各委员按时提交提案。\n".encode()


def _zip(entries: list[tuple[str, str]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in entries:
            archive.writestr(name, content)
    return buffer.getvalue()


def _docx() -> bytes:
    return word_document("调研报告")


def _xlsx() -> bytes:
    buffer = io.BytesIO()
    book = Workbook()
    book.active["A1"] = "委员"
    book.save(buffer)
    return buffer.getvalue()


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


@pytest.fixture(autouse=True)
def _clean_storage():
    yield
    for row in Attachment.objects.all():
        default_storage.delete(row.stored_name)


@pytest.mark.parametrize(
    ("name", "content", "kinds", "mime"),
    [
        ("提案附件.pdf", PDF, DOCUMENTS, "application/pdf"),
        ("调研报告.docx", None, DOCUMENTS, "wordprocessingml"),
        ("委员名单.xlsx", None, DOCUMENTS, "spreadsheetml"),
        ("现场照片.png", PNG, IMAGES, "image/png"),
        ("现场照片.JPEG", JPG, IMAGES, "image/jpeg"),
        ("纪要.txt", TEXT, ("txt",), "text/plain"),
    ],
)
def test_accepted_files_are_stored_under_a_random_name_with_their_digest(cast, name, content, kinds, mime):
    content = content or (_docx() if name.endswith("docx") else _xlsx())
    row = store_upload(upload(name, content), council=cast.city, user=cast.staff, allowed_kinds=kinds)
    assert row.original_name == name
    assert mime in row.content_type
    assert row.size == len(content)
    assert row.sha256 == hashlib.sha256(content).hexdigest()
    assert row.uploaded_by == cast.staff
    assert name.rsplit(".", 1)[0] not in row.stored_name
    assert row.stored_name.startswith("attachments/")
    with default_storage.open(row.stored_name) as stored:
        assert stored.read() == content


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("说明.pdf", EXE, "content_mismatch"),  # a program renamed .pdf
        ("说明.pdf", _zip([("a.txt", "x")]), "content_mismatch"),  # a zip renamed .pdf
        ("说明.pdf", TEXT, "content_mismatch"),  # text renamed .pdf
        ("说明.docx", _zip([("a.txt", "x")]), "content_mismatch"),  # a zip that is no Word file
        ("照片.png", JPG, "content_mismatch"),  # a real image of another kind
        ("说明.exe", EXE, "kind_not_allowed"),
        ("说明", PDF, "kind_not_allowed"),  # no extension at all
        ("说明.txt", TEXT, "kind_not_allowed"),  # text only where the caller allows it
        ("空.pdf", b"", "empty"),
    ],
)
def test_disguised_or_unwanted_files_are_refused_and_nothing_is_stored(cast, name, content, code):
    with pytest.raises(ValidationError) as refused:
        store_upload(
            upload(name, content), council=cast.city, user=cast.staff, allowed_kinds=(*DOCUMENTS, *IMAGES)
        )
    assert refused.value.code == code
    assert not Attachment.objects.exists()


def test_text_that_is_not_utf8_is_refused_as_text(cast):
    with pytest.raises(ValidationError) as refused:
        store_upload(
            upload("纪要.txt", "会议纪要".encode("gb18030")),
            council=cast.city,
            user=cast.staff,
            allowed_kinds=("txt",),
        )
    assert refused.value.code == "content_mismatch"


@override_settings(ATTACHMENT_MAX_BYTES=100)
def test_files_over_the_site_limit_are_refused_with_both_sizes_in_the_message(cast):
    with pytest.raises(ValidationError) as refused:
        store_upload(
            upload("大文件.pdf", PDF + b" " * 200),
            council=cast.city,
            user=cast.staff,
            allowed_kinds=DOCUMENTS,
        )
    assert refused.value.code == "too_large"
    assert "100" in str(refused.value.messages[0])


def test_a_caller_may_set_a_lower_limit_but_not_a_higher_one(cast):
    with pytest.raises(ValidationError):
        store_upload(
            upload("a.pdf", PDF), council=cast.city, user=cast.staff, allowed_kinds=DOCUMENTS, max_bytes=10
        )
    with override_settings(ATTACHMENT_MAX_BYTES=50), pytest.raises(ValidationError):
        store_upload(
            upload("a.pdf", PDF),
            council=cast.city,
            user=cast.staff,
            allowed_kinds=DOCUMENTS,
            max_bytes=10**9,
        )


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("../../x.pdf", "x.pdf"),
        ("..\\..\\windows\\报告.pdf", "报告.pdf"),
        ("/etc/passwd/.pdf", "pdf"),
        ("正常\x00名字.pdf", "正常名字.pdf"),
        ("a" * 300 + ".pdf", "a" * 251 + ".pdf"),
    ],
)
def test_names_are_reduced_to_a_safe_last_component(given, kept):
    assert clean_filename(given) == kept


def test_a_path_traversal_name_is_stored_inside_the_attachment_folder(cast):
    evil = upload("x.pdf", PDF)
    evil.name = "../../x.pdf"  # as a hostile client could send it
    row = store_upload(evil, council=cast.city, user=cast.staff, allowed_kinds=DOCUMENTS)
    assert row.original_name == "x.pdf"
    assert ".." not in row.stored_name


def test_download_keeps_the_chinese_name_and_forbids_sniffing(cast):
    row = store_upload(
        upload("第三次全会提案.pdf", PDF), council=cast.city, user=cast.staff, allowed_kinds=DOCUMENTS
    )
    response = attachment_response(row)
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f"filename*=UTF-8''{quote('第三次全会提案.pdf')}" in disposition
    assert b"".join(response.streaming_content) == PDF
    assert attachment_response(row, inline=True)["Content-Disposition"].startswith("inline;")


def test_attach_binds_to_an_owner_of_the_same_council_once(cast):
    row = store_upload(upload("a.pdf", PDF), council=cast.city, user=cast.staff, allowed_kinds=DOCUMENTS)
    attach(row, cast.member_record)
    attach(row, cast.member_record)  # again, same owner: fine
    assert list(attachments_of(cast.member_record)) == [row]
    with pytest.raises(ValueError, match="another object"):
        attach(row, cast.term)


def test_attach_refuses_an_owner_in_another_council(cast):
    row = store_upload(
        upload("a.pdf", PDF), council=cast.other_city, user=cast.outsider, allowed_kinds=DOCUMENTS
    )
    with pytest.raises(ValueError, match="own council"):
        attach(row, cast.member_record)
    row.refresh_from_db()
    assert row.owner_id is None


def test_uploads_never_attached_are_purged_after_a_day_with_their_files(
    cast, time_machine, django_capture_on_commit_callbacks
):
    time_machine.move_to("2026-11-02 09:00 +08:00", tick=False)
    kept = store_upload(upload("a.pdf", PDF), council=cast.city, user=cast.staff, allowed_kinds=DOCUMENTS)
    attach(kept, cast.member_record)
    abandoned = store_upload(
        upload("b.pdf", PDF), council=cast.city, user=cast.staff, allowed_kinds=DOCUMENTS
    )
    time_machine.move_to("2026-11-02 18:00 +08:00", tick=False)
    assert purge_unattached_attachments.call() == 0
    time_machine.move_to("2026-11-03 09:01 +08:00", tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        assert purge_unattached_attachments.call() == 1
    assert list(Attachment.objects.all()) == [kept]
    assert not default_storage.exists(abandoned.stored_name)
    assert default_storage.exists(kept.stored_name)
