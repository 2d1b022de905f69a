"""The one way an edit is saved: validate against the model, refuse with the field at
fault, save, and audit what changed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, models, transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from dropline.catalog.errors import CatalogError
from dropline.core import audit, read_models


def plain(value: Any) -> Any:
    """``value`` as JSON can keep it in an audit event."""
    if isinstance(value, Decimal):
        return str(value.normalize()) if value == value.to_integral() else str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, models.Model):
        return str(value.pk)
    return value


def refuse_invalid(error: ValidationError) -> CatalogError:
    """The first problem of a model's ``full_clean`` as a ``CatalogError``."""
    problems = error.message_dict if hasattr(error, "error_dict") else {}
    for field, messages in problems.items():
        if messages:
            return CatalogError("" if field == NON_FIELD_ERRORS else field, messages[0])
    return CatalogError("", error.messages[0] if error.messages else str(error))


# The largest value each kind of integer column holds on every database Dropline runs
# on (SQLite would store more; PostgreSQL would fail on save).
_INTEGER_LIMITS: list[tuple[type[models.Field[Any, Any]], int, int]] = [
    (models.PositiveSmallIntegerField, 0, 32_767),
    (models.PositiveIntegerField, 0, 2_147_483_647),
    (models.BigIntegerField, -(2**63), 2**63 - 1),
]


def _check_integers(obj: models.Model, values: dict[str, Any]) -> None:
    for name, value in values.items():
        if not isinstance(value, int) or isinstance(value, bool):
            continue
        field = obj._meta.get_field(name)
        for kind, low, high in _INTEGER_LIMITS:
            if isinstance(field, kind):
                if not low <= value <= high:
                    raise CatalogError(
                        name,
                        _("Enter a whole number from %(low)s to %(high)s.")
                        % {"low": low, "high": high},
                    )
                break


def save_fields(
    obj: models.Model,
    values: dict[str, Any],
    *,
    exclude: Iterable[str] = (),
) -> dict[str, dict[str, Any]]:
    """Set ``values`` on ``obj``, check it as the model does, save it, and return the
    before and after of each field that changed (all of them for a new row). The caller
    holds the transaction."""
    creating = obj.pk is None
    _check_integers(obj, values)
    before = {name: getattr(obj, name) for name in values}
    for name, value in values.items():
        setattr(obj, name, value)
    try:
        obj.full_clean(exclude=list(exclude))
    except ValidationError as error:
        raise refuse_invalid(error) from None
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError:
        # Someone saved the same code or number a moment ago: the database is the last
        # word on what is unique.
        unique = next((n for n in values if getattr(obj._meta.get_field(n), "unique", False)), "")
        raise CatalogError(
            unique, _("This was saved by someone else a moment ago. Check it and try again.")
        ) from None
    return {
        name: {"before": None if creating else plain(before[name]), "after": plain(value)}
        for name, value in values.items()
        if creating or before[name] != value
    }


def record(
    *,
    action: str,
    target: models.Model,
    data: dict[str, Any],
    actor: Any,
    request: HttpRequest | None,
) -> None:
    """Audit a change to the catalogue, and tell the pages' read models of it (every
    catalogue edit ends here)."""
    read_models.catalogue_changed()
    audit.record(action=action, request=request, actor=actor, target=target, data=data)
