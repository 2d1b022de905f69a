"""Files a customer or staff gives with a dispute: the content-checked upload rules of
``core.uploads`` (PDF, PNG or JPEG decided by the bytes, at most 10 MB each), at most
``MAX_FILES_PER_DISPUTE`` per dispute, refusals said as ``PaymentError`` (field ``files``).
A write does::

    with attachments.staged_files(files=files, already=count) as staged:
        with transaction.atomic():
            ...make the rows...
            attachments.keep(staged)

so a refused upload, or a transaction that fails, leaves neither a file nor a row.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence

from django.utils.translation import ngettext

from dropline.core import uploads
from dropline.core.uploads import (
    MAX_FILE_BYTES,
    Staged,
    UploadError,
    UploadLike,
    discard,
    download,
    keep,
    open_file,
    path_for,
    sanitise_name,
)
from dropline.payments.errors import PaymentError

MAX_FILES_PER_DISPUTE = 5

__all__ = [
    "MAX_FILES_PER_DISPUTE",
    "MAX_FILE_BYTES",
    "Staged",
    "UploadLike",
    "discard",
    "download",
    "keep",
    "open_file",
    "path_for",
    "sanitise_name",
    "stage",
    "staged_files",
    "too_many_files",
]


def _as_payment_error(refused: UploadError) -> PaymentError:
    return PaymentError(refused.field, refused.message, refused.code)


def _too_many_message() -> str:
    return ngettext(
        "A dispute can have at most %(count)d file.",
        "A dispute can have at most %(count)d files.",
        MAX_FILES_PER_DISPUTE,
    ) % {"count": MAX_FILES_PER_DISPUTE}


def too_many_files() -> PaymentError:
    return _as_payment_error(uploads.too_many_files(MAX_FILES_PER_DISPUTE, _too_many_message()))


def stage(*, files: Sequence[UploadLike], already: int = 0) -> list[Staged]:
    """Check ``files`` (``already`` is how many the dispute holds) and write each under a
    temporary name. Raises ``PaymentError`` (field ``files``) with nothing left behind."""
    try:
        return uploads.stage(
            files=files,
            already=already,
            max_files=MAX_FILES_PER_DISPUTE,
            too_many_message=_too_many_message(),
        )
    except UploadError as refused:
        raise _as_payment_error(refused) from refused


@contextlib.contextmanager
def staged_files(*, files: Sequence[UploadLike], already: int = 0) -> Iterator[list[Staged]]:
    """Stage ``files`` for a block that makes their rows and calls ``keep``; if the block
    raises, every file it staged or kept is removed."""
    staged = stage(files=files, already=already)
    with uploads.removed_on_error(staged):
        yield staged
