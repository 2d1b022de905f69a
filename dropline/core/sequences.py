"""Gap-tolerant counters that are safe under concurrent callers."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F

from dropline.core.models import NumberSequence


def reserve(*, name: str, count: int = 1, start: int = 1) -> range:
    """Reserve ``count`` consecutive values of sequence ``name`` and return them.

    The UPDATE takes the row lock, so two callers never get the same value.
    """
    if count < 1:
        raise ValueError("count must be at least 1")
    with transaction.atomic():
        NumberSequence.objects.get_or_create(name=name, defaults={"next_value": start})
        NumberSequence.objects.filter(name=name).update(next_value=F("next_value") + count)
        end = NumberSequence.objects.values_list("next_value", flat=True).get(name=name)
    return range(end - count, end)
