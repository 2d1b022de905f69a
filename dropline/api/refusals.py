"""A refusal because of the state of things (a dispute already closed, a payment already
made): 409 with the same body as bad input, naming the field and the reason. Bad input
itself raises ``errors.FieldError`` (400)."""

from __future__ import annotations

from ninja import Status

from dropline.api.schemas import FieldErrorOut, InvalidInputOut


def conflict(field: str, reason: str) -> Status[InvalidInputOut]:
    """Answer 409: ``reason`` for ``field``; declare ``409: InvalidInputOut``."""
    return Status(
        409, InvalidInputOut(detail=reason, errors=[FieldErrorOut(field=field, reason=reason)])
    )
