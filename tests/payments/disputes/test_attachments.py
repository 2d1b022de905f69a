"""Attachments are checked by their content, never by name or the browser's word; a
refused upload leaves no file and no row; files live outside the web root."""

import hashlib
from pathlib import Path

import pytest
from django.conf import settings

from dropline.payments.disputes.attachments import (
    MAX_FILE_BYTES,
    MAX_FILES_PER_DISPUTE,
    path_for,
    sanitise_name,
)
from dropline.payments.disputes.messages import add_message
from dropline.payments.disputes.models import Dispute, DisputeAttachment, DisputeMessage
from dropline.payments.errors import PaymentError
from tests.support.disputes import (
    a_pdf,
    a_png,
    dispute_of,
    files_under,
    household,
    jpeg_bytes,
    pdf_bytes,
    png_bytes,
    ten_megabyte_pdf,
    upload,
)

pytestmark = pytest.mark.django_db


def _refused(found, file) -> PaymentError:
    with pytest.raises(PaymentError) as refused:
        dispute_of(found, files=[a_pdf("fine.pdf"), file])
    return refused.value


def _nothing_left(uploads: Path) -> None:
    assert not Dispute.objects.exists()
    assert not DisputeAttachment.objects.exists()
    assert files_under(uploads) == []


def test_a_png_renamed_pdf_sent_as_pdf_is_refused(today, uploads):
    found = household()
    refusal = _refused(found, upload("invoice.pdf", png_bytes(), "application/pdf"))
    assert refusal.code == "file_type"
    _nothing_left(uploads)


def test_a_claim_the_content_contradicts_is_refused_whichever_says_it(today, uploads):
    found = household()
    for name, content_type in [("invoice.pdf", ""), ("invoice", "application/pdf")]:
        refusal = _refused(found, upload(name, png_bytes(), content_type))
        assert refusal.code == "file_type"
    _nothing_left(uploads)


def test_the_type_comes_from_the_content_when_nothing_claims_one(today, uploads):
    found = household()
    dispute = dispute_of(found, files=[upload("scan", png_bytes(), "application/octet-stream")])
    kept = dispute.attachments.get()
    assert kept.content_type == "image/png"
    assert kept.original_name == "scan.png"


def test_a_png_renamed_pdf_that_is_not_a_real_image_is_refused(today, uploads):
    found = household()
    broken = png_bytes()[:40]  # the signature, then nothing an image needs
    refusal = _refused(found, upload("invoice.pdf", broken, "application/pdf"))
    assert refusal.code == "file_type"
    assert refusal.field == "files"
    assert "invoice.pdf is not a PDF, PNG or JPEG file" in refusal.reason
    _nothing_left(uploads)


@pytest.mark.parametrize(
    ("name", "data", "content_type"),
    [
        ("photo.png", b"just some words, not a picture\n" * 10, "image/png"),
        ("scan.jpg", b"GIF89a" + b"\x00" * 50, "image/jpeg"),
        ("bill.pdf", b"%PDF-1.4\n" + b"x" * 3000, "application/pdf"),  # no %%EOF at the end
        ("page.pdf", b"<html><script>alert(1)</script></html>", "application/pdf"),
        ("empty.pdf", b"", "application/pdf"),
    ],
)
def test_files_that_are_not_what_they_say_are_refused(today, uploads, name, data, content_type):
    found = household()
    refusal = _refused(found, upload(name, data, content_type))
    assert refusal.code == "file_type"
    _nothing_left(uploads)


def test_exactly_ten_megabytes_of_pdf_is_accepted(today, uploads):
    found = household()
    data = ten_megabyte_pdf()
    assert len(data) == MAX_FILE_BYTES
    dispute = dispute_of(found, files=[upload("statement.pdf", data, "application/pdf")])
    kept = dispute.attachments.get()
    assert kept.size == MAX_FILE_BYTES
    assert kept.sha256 == hashlib.sha256(data).hexdigest()
    assert path_for(kept.storage_key).read_bytes() == data


def test_ten_megabytes_and_one_byte_is_refused(today, uploads):
    found = household()
    data = pdf_bytes(MAX_FILE_BYTES + 1)
    refusal = _refused(found, upload("statement.pdf", data, "application/pdf"))
    assert refusal.code == "file_too_large"
    _nothing_left(uploads)


def test_a_file_whose_size_is_unknown_is_still_counted(today, uploads):
    found = household()
    big = upload("statement.pdf", pdf_bytes(MAX_FILE_BYTES + 1), "application/pdf")
    big.size = None  # a client that sent no length
    refusal = _refused(found, big)
    assert refusal.code == "file_too_large"
    _nothing_left(uploads)


def test_at_most_five_files_per_dispute(today, uploads):
    found = household()
    with pytest.raises(PaymentError) as refused:
        dispute_of(found, files=[a_pdf(f"{n}.pdf") for n in range(MAX_FILES_PER_DISPUTE + 1)])
    assert refused.value.code == "too_many_files"
    _nothing_left(uploads)
    dispute = dispute_of(found, files=[a_png(f"{n}.png") for n in range(4)])
    add_message(
        dispute=dispute, body="One more", actor=found.user, from_staff=False, files=[a_pdf()]
    )
    with pytest.raises(PaymentError) as again:
        add_message(
            dispute=dispute, body="Too many", actor=found.user, from_staff=False, files=[a_pdf()]
        )
    assert again.value.code == "too_many_files"
    assert DisputeMessage.objects.filter(body="Too many").count() == 0
    assert len(files_under(uploads)) == MAX_FILES_PER_DISPUTE


def test_kinds_and_names(today, uploads):
    found = household()
    dispute = dispute_of(
        found,
        files=[
            upload("../../etc/passwd.JPG", jpeg_bytes(), "text/plain"),
            upload("C:\\Users\\me\\My bill (1).pdf", pdf_bytes(), "application/x-whatever"),
            upload("\x00\u202enaughty\nname.png", png_bytes(), ""),
        ],
    )
    kept = {a.original_name: a.content_type for a in dispute.attachments.all()}
    assert kept == {
        "passwd.jpg": "image/jpeg",
        "My bill (1).pdf": "application/pdf",
        "naughtyname.png": "image/png",
    }


def test_names_are_sanitised():
    assert sanitise_name("<script>.pdf", "application/pdf") == "script.pdf"
    assert sanitise_name("", "image/png") == "attachment.png"
    assert sanitise_name("....", "image/jpeg") == "attachment.jpg"
    assert len(sanitise_name("a" * 500 + ".pdf", "application/pdf")) <= 100


def test_files_live_outside_the_web_root_under_random_names(today, uploads):
    found = household()
    dispute = dispute_of(found, files=[a_pdf("my-bill.pdf")])
    kept = dispute.attachments.get()
    where = path_for(kept.storage_key)
    assert where.is_file()
    assert "my-bill" not in str(where)
    static_root = Path(settings.STATIC_ROOT).resolve()
    assert static_root not in where.resolve().parents
    for folder in settings.STATICFILES_DIRS:
        assert Path(folder).resolve() not in where.resolve().parents


def test_the_default_upload_root_is_beside_the_project_not_under_static():
    from dropline.config import VAR_DIR

    default = Path(str(VAR_DIR / "uploads")).resolve()
    assert Path(settings.STATIC_ROOT).resolve() not in default.parents
    assert default != Path(settings.STATIC_ROOT).resolve()


def test_a_failed_transaction_leaves_no_file(today, uploads, monkeypatch):
    found = household()
    from dropline.payments.disputes import opening

    def broken(*args, **kwargs):
        raise RuntimeError("the audit table is gone")

    monkeypatch.setattr(opening.audit, "record", broken)
    with pytest.raises(RuntimeError):
        dispute_of(found, files=[a_pdf(), a_png()])
    _nothing_left(uploads)
