"""Uploads are judged by their content before anything stores or opens
them: macro documents renamed .docx, PDF headers over web pages, pictures
declaring billions of pixels and archives that unpack to gigabytes are
refused with a message that says why, and nothing is stored. (Downloads
stay attachments of the detected type with nosniff: test_attachments.)"""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from xieshang.core.attachments import DOCUMENTS, IMAGES, store_upload
from xieshang.core.models import Attachment
from xieshang.core.tests import hostile_files as hostile

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _clean_storage():
    yield
    for row in Attachment.objects.all():
        default_storage.delete(row.stored_name)


def store(cast, name: str, content: bytes) -> Attachment:
    return store_upload(
        SimpleUploadedFile(name, content, content_type="application/octet-stream"),
        council=cast.city,
        user=cast.staff,
        allowed_kinds=(*DOCUMENTS, *IMAGES),
    )


def refused(cast, name: str, content: bytes) -> ValidationError:
    with translation.override("en"), pytest.raises(ValidationError) as error:
        store(cast, name, content)
    assert not Attachment.objects.exists()
    return error.value


def message(error: ValidationError) -> str:
    with translation.override("en"):
        return error.messages[0]


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("调研报告.docx", hostile.word_document()),
        ("现场照片.png", hostile.png(4000, 3000)),
        ("现场照片.jpg", hostile.jpeg(8160, 6120)),  # a 50-megapixel phone photo
        ("纪要.pdf", PDF),
    ],
)
def test_ordinary_files_pass_the_inspection(cast, name, content):
    assert store(cast, name, content).original_name == name


@pytest.mark.parametrize("keep_plain_type", [False, True])
def test_a_macro_document_renamed_docx_is_refused(cast, keep_plain_type):
    error = refused(cast, "会议通知.docx", hostile.macro_document(keep_plain_type=keep_plain_type))
    assert error.code == "macros"
    assert "contains macros" in message(error) and ".docx" in message(error)


def test_a_pdf_header_over_a_web_page_is_refused(cast):
    error = refused(cast, "通知.pdf", hostile.PDF_OVER_HTML)
    assert error.code == "content_mismatch"
    assert "web page" in message(error)


def test_a_web_page_further_down_a_pdf_is_refused_too(cast):
    content = PDF + b"%" + b"x" * 10000 + b"\n<html><body>phishing</body></html>\n%%EOF\n"
    assert refused(cast, "通知.pdf", content).code == "content_mismatch"


def test_a_pdf_that_stops_short_is_refused_as_damaged(cast):
    error = refused(cast, "通知.pdf", PDF[:40])
    assert error.code == "damaged"


@pytest.mark.parametrize(
    ("name", "content", "size"),
    [
        ("现场照片.png", hostile.png(100_000, 100_000), "100000 × 100000"),
        ("现场照片.jpg", hostile.jpeg(60_000, 60_000), "60000 × 60000"),
    ],
)
def test_a_picture_declaring_billions_of_pixels_is_refused(cast, name, content, size):
    error = refused(cast, name, content)
    assert error.code == "picture_too_large"
    assert size in message(error) and "100 million" in message(error)


def test_a_workbook_that_unpacks_to_a_gigabyte_is_refused(cast):
    error = refused(cast, "名册.xlsx", hostile.xlsx_bomb())
    assert error.code == "unpacks_too_large"


def test_a_word_file_that_unpacks_to_a_gigabyte_is_refused(cast):
    assert refused(cast, "草案.docx", hostile.docx_bomb()).code == "unpacks_too_large"


def test_a_workbook_of_thousands_of_parts_is_refused(cast):
    assert refused(cast, "名册.xlsx", hostile.xlsx_with_many_parts(1000)).code == "too_many_parts"


def test_a_word_file_is_read_only_after_the_inspection():
    from xieshang.core.uploads import read_docx_paragraphs

    assert read_docx_paragraphs(ContentFile(hostile.word_document("第一条 总则"))) == ["第一条 总则"]
    with pytest.raises(ValidationError) as error:
        read_docx_paragraphs(ContentFile(hostile.docx_bomb()))
    assert error.value.code == "unpacks_too_large"
    with pytest.raises(ValidationError) as error:
        read_docx_paragraphs(ContentFile(hostile.macro_document()))
    assert error.value.code == "macros"
