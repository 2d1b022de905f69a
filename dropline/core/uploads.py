"""Files a customer or staff gives (with a dispute, a ticket): PDF, PNG or JPEG, checked by
content.

The type is decided by the bytes, never by the file's name or the browser's word: a PDF
starts ``%PDF-`` and ends with ``%%EOF``; a PNG or JPEG has its signature and passes
Pillow's ``verify()``. Each file is at most ``MAX_FILE_BYTES``; the caller says how many
files the thing it belongs to may hold (``max_files``). Files are written under
``DROPLINE_UPLOAD_ROOT`` (outside the web root) under a random key, first to a temporary
name and then renamed, so a file is either whole or absent. A write does::

    with uploads.staged_files(files=files, already=count, max_files=5) as staged:
        with transaction.atomic():
            ...make the rows...
            uploads.keep(staged)

so a refused upload, or a transaction that fails, leaves neither a file nor a row. A refusal
is an ``UploadError`` naming the field (``files``), with a message a person can act on and
a code (``file_type``, ``file_too_large``, ``too_many_files``); each domain turns it into
its own error.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import secrets
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Protocol

from django.conf import settings
from django.http import HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from PIL import Image, UnidentifiedImageError

MAX_FILE_BYTES = 10 * 1024 * 1024
PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
EXTENSIONS = {PDF: ".pdf", PNG: ".png", JPEG: ".jpg"}
# ``%%EOF`` must be within this many bytes of the end (writers may add a newline or two).
PDF_TAIL_BYTES = 1024
_CHUNK = 64 * 1024
_NAME_KEEP = re.compile(r"[^\w.\- ()]+")
# What a name or the browser may claim; a claim the content contradicts is refused.
_CLAIMED_BY_EXTENSION = {".pdf": PDF, ".png": PNG, ".jpg": JPEG, ".jpeg": JPEG}
_CLAIMED_BY_TYPE = {
    "application/pdf": PDF,
    "image/png": PNG,
    "image/jpeg": JPEG,
    "image/jpg": JPEG,
    "image/pjpeg": JPEG,
}
FIELD = "files"


class UploadError(Exception):
    """A file refused: ``message`` in the reader's language, ``code`` for programs
    (``file_type``, ``file_too_large``, ``too_many_files``), ``field`` the input."""

    def __init__(self, message: str, code: str, field: str = FIELD) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.field = field


class StoredFile(Protocol):
    """A kept file's row (a dispute's or a ticket's attachment)."""

    storage_key: str
    content_type: str
    original_name: str


class UploadLike(Protocol):
    """What Django's ``UploadedFile`` (and ninja's ``File``) give: a name, a size, the
    browser's content type (only ever compared with the content) and the bytes."""

    @property
    def name(self) -> str | None: ...

    @property
    def size(self) -> int | None: ...

    @property
    def content_type(self) -> str | None: ...

    def chunks(self, chunk_size: int | None = ...) -> Iterator[bytes]: ...


@dataclass(frozen=True)
class Staged:
    """A checked file written under a temporary name, waiting for ``keep``."""

    original_name: str
    content_type: str
    size: int
    sha256: str
    storage_key: str
    temporary: Path


def upload_root() -> Path:
    return Path(settings.DROPLINE_UPLOAD_ROOT)


def path_for(storage_key: str) -> Path:
    """Where the file with ``storage_key`` is kept: ``<root>/<first two>/<key>``."""
    if not re.fullmatch(r"[0-9a-f]{32}", storage_key):
        raise ValueError("not a storage key")
    return upload_root() / storage_key[:2] / storage_key


def sanitise_name(name: str | None, content_type: str) -> str:
    """The name to show and download under: no folders, no control or odd characters,
    at most 100 characters, and the extension of the type found in the content."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = unicodedata.normalize("NFKC", base)
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C")
    stem = os.path.splitext(base)[0]
    stem = _NAME_KEEP.sub("_", stem).strip(" ._") or "attachment"
    return f"{stem[:90]}{EXTENSIONS[content_type]}"


def _refuse(reason: str, code: str) -> UploadError:
    return UploadError(reason, code)


def _detect(path: Path, size: int) -> str | None:
    """The type the content says, or None when it is none of PDF, PNG and JPEG."""
    with path.open("rb") as handle:
        head = handle.read(8)
        if head.startswith(b"%PDF-"):
            handle.seek(max(0, size - PDF_TAIL_BYTES))
            return PDF if b"%%EOF" in handle.read() else None
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        expected = "PNG"
    elif head.startswith(b"\xff\xd8\xff"):
        expected = "JPEG"
    else:
        return None
    try:
        with Image.open(path) as image:
            found = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return None
    if found != expected:
        return None
    return PNG if expected == "PNG" else JPEG


def claimed_types(name: str | None, content_type: str | None) -> set[str]:
    """The types the file's name and the browser say it is (unknown words say nothing)."""
    claims = set()
    extension = os.path.splitext(re.split(r"[\\/]", name or "")[-1])[1].lower()
    if extension in _CLAIMED_BY_EXTENSION:
        claims.add(_CLAIMED_BY_EXTENSION[extension])
    browser = (content_type or "").split(";")[0].strip().lower()
    if browser in _CLAIMED_BY_TYPE:
        claims.add(_CLAIMED_BY_TYPE[browser])
    return claims


def _write_temporary(upload: UploadLike, path: Path) -> tuple[int, str]:
    """Copy ``upload`` to ``path`` (bytes counted as they come, stopping past the
    limit); returns the size and the SHA-256."""
    digest = hashlib.sha256()
    size = 0
    with path.open("xb") as out:
        for chunk in upload.chunks(_CHUNK):
            size += len(chunk)
            if size > MAX_FILE_BYTES:
                raise _too_big(upload.name)
            digest.update(chunk)
            out.write(chunk)
    return size, digest.hexdigest()


def _too_big(name: str | None) -> UploadError:
    return _refuse(
        _("%(name)s is larger than 10 MB. Send a smaller file.") % {"name": name or "?"},
        "file_too_large",
    )


def too_many_files(max_files: int, message: str = "") -> UploadError:
    """The refusal of more than ``max_files`` files; ``message`` says it in the caller's
    words ("A dispute can have..."), else a plain sentence."""
    return _refuse(
        message
        or ngettext(
            "You can attach at most %(count)d file.",
            "You can attach at most %(count)d files.",
            max_files,
        )
        % {"count": max_files},
        "too_many_files",
    )


def stage(
    *,
    files: Sequence[UploadLike],
    already: int = 0,
    max_files: int,
    too_many_message: str = "",
) -> list[Staged]:
    """Check ``files`` (``already`` is how many the owner holds, ``max_files`` how many it
    may) and write each under a temporary name. Raises ``UploadError`` (field ``files``)
    with nothing left behind."""
    if already + len(files) > max_files:
        raise too_many_files(max_files, too_many_message)
    staged: list[Staged] = []
    try:
        for upload in files:
            staged.append(_stage_one(upload))
    except BaseException:
        discard(staged)
        raise
    return staged


def _stage_one(upload: UploadLike) -> Staged:
    if upload.size is not None and upload.size > MAX_FILE_BYTES:
        raise _too_big(upload.name)
    key = secrets.token_hex(16)
    final = path_for(key)
    final.parent.mkdir(parents=True, exist_ok=True)
    temporary = final.with_name(f".{key}.part")
    try:
        size, sha256 = _write_temporary(upload, temporary)
        content_type = _detect(temporary, size) if size else None
        claims = claimed_types(upload.name, upload.content_type)
        if content_type is None or (claims and claims != {content_type}):
            raise _refuse(
                _("%(name)s is not a PDF, PNG or JPEG file.") % {"name": upload.name or "?"},
                "file_type",
            )
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return Staged(
        original_name=sanitise_name(upload.name, content_type),
        content_type=content_type,
        size=size,
        sha256=sha256,
        storage_key=key,
        temporary=temporary,
    )


def discard(staged: Sequence[Staged]) -> None:
    """Remove the temporary files of a refused or failed upload."""
    for item in staged:
        item.temporary.unlink(missing_ok=True)


def keep(staged: Sequence[Staged]) -> None:
    """Give the staged files their final names, an atomic rename each. Call it inside
    the transaction that makes their rows, within ``staged_files``."""
    for item in staged:
        os.replace(item.temporary, path_for(item.storage_key))


def open_file(storage_key: str) -> IO[bytes]:
    """The kept file for reading."""
    return path_for(storage_key).open("rb")


def download(attachment: StoredFile) -> HttpResponse:
    """The file as a download, for every edge alike: always saved, never shown inline,
    with the type found in its content and no sniffing, and no script even if opened.
    The caller has checked who may have it. (Files are at most 10 MB: read whole.)"""
    with open_file(attachment.storage_key) as handle:
        response = HttpResponse(handle.read(), content_type=attachment.content_type)
    response["Content-Disposition"] = (
        content_disposition_header(as_attachment=True, filename=attachment.original_name)
        or "attachment"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@contextlib.contextmanager
def staged_files(
    *,
    files: Sequence[UploadLike],
    already: int = 0,
    max_files: int,
    too_many_message: str = "",
) -> Iterator[list[Staged]]:
    """Stage ``files`` for a block that makes their rows and calls ``keep``; if the block
    raises, every file it staged or kept is removed."""
    staged = stage(
        files=files, already=already, max_files=max_files, too_many_message=too_many_message
    )
    with removed_on_error(staged):
        yield staged


@contextlib.contextmanager
def removed_on_error(staged: Sequence[Staged]) -> Iterator[None]:
    """Remove ``staged`` (temporary or kept) if the block raises."""
    try:
        yield
    except BaseException:
        discard(staged)
        for item in staged:
            path_for(item.storage_key).unlink(missing_ok=True)
        raise
