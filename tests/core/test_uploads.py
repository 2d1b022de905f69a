"""The content-checked upload rules every domain shares: the type is decided by the
bytes, sizes and counts are limited, and a refused upload or a failed transaction leaves
no file behind."""

from __future__ import annotations

import pytest

from dropline.core import uploads
from dropline.core.uploads import MAX_FILE_BYTES, UploadError, path_for
from tests.support.disputes import (
    files_under,
    jpeg_bytes,
    pdf_bytes,
    png_bytes,
    upload,
    use_upload_root,
)


@pytest.fixture
def root(settings, tmp_path):
    return use_upload_root(settings, tmp_path)


@pytest.mark.parametrize(
    ("name", "data", "found"),
    [
        ("a.pdf", pdf_bytes(), uploads.PDF),
        ("b.png", png_bytes(), uploads.PNG),
        ("c.jpg", jpeg_bytes(), uploads.JPEG),
        ("no-extension", png_bytes(), uploads.PNG),
    ],
)
def test_each_kind_is_known_by_its_bytes(root, name, data, found):
    with uploads.staged_files(files=[upload(name, data)], max_files=3) as staged:
        uploads.keep(staged)
    (kept,) = staged
    assert kept.content_type == found
    assert path_for(kept.storage_key).read_bytes() == data
    assert files_under(root) == [path_for(kept.storage_key)]


@pytest.mark.parametrize(
    ("name", "data", "content_type"),
    [
        ("script.pdf", b"<script>alert(1)</script>", "application/pdf"),
        ("half.pdf", pdf_bytes()[:-10], "application/pdf"),  # no %%EOF
        ("fake.png", b"\x89PNG\r\n\x1a\n" + b"0" * 40, "image/png"),
        ("photo.jpg", png_bytes(), "image/jpeg"),  # a PNG calling itself a JPEG
        ("empty.png", b"", "image/png"),
    ],
)
def test_anything_else_is_refused_and_leaves_nothing(root, name, data, content_type):
    with pytest.raises(UploadError) as refused:
        uploads.stage(
            files=[upload("fine.pdf", pdf_bytes()), upload(name, data, content_type)], max_files=5
        )
    assert refused.value.code == "file_type"
    assert refused.value.field == "files"
    assert name in refused.value.message
    assert files_under(root) == []


def test_too_big_and_too_many(root):
    with pytest.raises(UploadError) as big:
        uploads.stage(files=[upload("big.pdf", pdf_bytes(MAX_FILE_BYTES + 1))], max_files=1)
    assert big.value.code == "file_too_large"
    with pytest.raises(UploadError) as many:
        uploads.stage(files=[upload("a.pdf", pdf_bytes())] * 2, already=1, max_files=2)
    assert many.value.code == "too_many_files"
    assert "at most 2 files" in many.value.message
    with pytest.raises(UploadError) as worded:
        uploads.stage(
            files=[upload("a.pdf", pdf_bytes())] * 2, max_files=1, too_many_message="Only one."
        )
    assert worded.value.message == "Only one."
    assert files_under(root) == []


def _keep_then_fail() -> None:
    with uploads.staged_files(files=[upload("a.pdf", pdf_bytes())], max_files=1) as staged:
        uploads.keep(staged)
        assert len(files_under(uploads.upload_root())) == 1
        raise RuntimeError("the transaction failed")


def test_a_failing_block_removes_staged_and_kept_files(root):
    with pytest.raises(RuntimeError):
        _keep_then_fail()
    assert files_under(root) == []


def test_names_are_cleaned_and_take_the_found_extension():
    assert uploads.sanitise_name("../../etc/pass\x00wd.exe", uploads.PDF) == "passwd.pdf"
    assert uploads.sanitise_name("", uploads.PNG) == "attachment.png"
    with pytest.raises(ValueError, match="storage key"):
        path_for("../../etc/passwd")
