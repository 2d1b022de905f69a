"""Uploading a usage file: imported whole with its lines and bytes, or refused whole
with each line's error named by its line; a file too large, not text or not UTF-8 is
refused before it is read; the recent files are listed."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from dropline.accounts import roles
from dropline.backoffice.usage_ops import forms
from dropline.usage.models import ImportStatus, UsageImport
from tests.support.staff import make_staff
from tests.support.staff_billing import field_errors, visible_text

pytestmark = pytest.mark.django_db
URL = "/backoffice/usage/files/"
HEADER = "record_id,identifier,started_at,ended_at,input_bytes,output_bytes\n"
GOOD = (
    HEADER
    + "r1,ghost-user,2026-11-01T10:00:00-06:00,2026-11-01T11:00:00-06:00,1000,2000\n"
    + "r2,ghost-user,2026-11-01T11:00:00-06:00,2026-11-01T12:00:00-06:00,3000,4000\n"
)
BAD = (
    HEADER
    + "r1,ghost-user,2026-11-01T10:00:00-06:00,2026-11-01T11:00:00-06:00,1000,2000\n"
    + "r2,ghost-user,2026-11-01T11:00:00-06:00,2026-11-01T12:00:00-06:00,bad,4000\n"
)


@pytest.fixture
def billing(client):
    client.force_login(make_staff(username="biller", role=roles.BILLING))
    return client


def upload(client, content: bytes, name: str = "usage.csv", content_type: str = "text/csv"):
    return client.post(URL, {"file": SimpleUploadedFile(name, content, content_type=content_type)})


def test_a_good_file_is_imported_and_its_result_shown(billing):
    page = upload(billing, GOOD.encode())
    assert page.status_code == 200
    text = visible_text(page.content.decode())
    assert "usage.csv is imported: 2 lines" in text
    done = UsageImport.objects.get()
    assert done.status == ImportStatus.IMPORTED
    assert f"{done.counted_bytes:,} bytes counted" in text
    assert "Recent usage files" in text


def test_a_file_with_errors_lists_each_line_and_imports_nothing(billing):
    page = upload(billing, BAD.encode())
    assert page.status_code == 400
    html = page.content.decode()
    assert 'id="import-errors"' in html
    errors = visible_text(html.split('id="import-errors"', 1)[1].split("</div>", 1)[0])
    assert "Nothing was imported: 1 line has an error." in errors
    assert "Line 3:" in errors
    assert "Line 2:" not in errors
    assert UsageImport.objects.get().status == ImportStatus.REFUSED


@pytest.mark.parametrize(
    ("content", "content_type", "message"),
    [
        ("é,ü\n".encode("latin-1") * 3, "text/csv", "not in UTF-8"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "text/csv", "not a CSV file"),
        (GOOD.encode(), "image/png", "not a CSV file"),
        (b"   \n", "text/csv", "empty"),
    ],
)
def test_a_file_that_is_not_utf8_csv_is_refused_before_it_is_read(
    billing, content, content_type, message
):
    page = upload(billing, content, content_type=content_type)
    assert page.status_code == 400
    assert message in field_errors(page.content.decode(), "file")
    assert not UsageImport.objects.exists()


def test_a_file_too_large_is_refused(billing, monkeypatch):
    monkeypatch.setattr(forms, "MAX_UPLOAD_BYTES", 100)
    page = upload(billing, GOOD.encode() * 3)
    assert page.status_code == 400
    assert "over 20 MB" in field_errors(page.content.decode(), "file")
    assert not UsageImport.objects.exists()


def test_no_file_is_asked_for(billing):
    page = billing.post(URL, {})
    assert page.status_code == 400
    assert field_errors(page.content.decode(), "file")


def test_customer_care_cannot_upload(client):
    client.force_login(make_staff(username="care", role=roles.CUSTOMER_CARE))
    assert upload(client, GOOD.encode()).status_code == 403
    assert not UsageImport.objects.exists()
