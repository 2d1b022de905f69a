"""The language an operation answers in, for the operations that take ``language`` (the
help centre, the status page): the one asked for, else the caller's own (from
``Accept-Language``), else the provider's. One that is not offered is a 400 naming it."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import get_language

from dropline.api.errors import FieldError

FIELD = "language"


def answer_language(asked: str) -> str:
    """``asked`` (a code of ``LANGUAGES``), or the caller's when it is empty."""
    codes = [code for code, _name in settings.LANGUAGES]
    if not asked:
        current = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
        return current if current in codes else settings.LANGUAGE_CODE
    if asked not in codes:
        raise FieldError(FIELD, f"Use one of: {', '.join(codes)}.")
    return asked
