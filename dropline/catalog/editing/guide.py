"""The channel guide and line-ups: channels (number, call sign, name, genre, HD) and
which channels a TV plan or a TV add-on carries. The channel finder reads the same
rows, so a change here shows there at once."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from dropline.catalog.editing.saving import record, save_fields
from dropline.catalog.errors import CatalogError
from dropline.catalog.models import AddOn, Channel, Plan, ServiceKind

MAX_CHANNEL_NUMBER = 9999


def _channel_values(
    *, number: int, call_sign: str, name: str, genre: str, is_hd: bool
) -> dict[str, Any]:
    if number < 1 or number > MAX_CHANNEL_NUMBER:
        raise CatalogError("number", _("Enter a channel number from 1 to 9999."))
    return {
        "number": number,
        "call_sign": call_sign.strip().upper(),
        "name": name.strip(),
        "genre": genre,
        "is_hd": is_hd,
    }


def create_channel(
    *,
    number: int,
    call_sign: str,
    name: str,
    genre: str,
    is_hd: bool = True,
    actor: Any = None,
    request: HttpRequest | None = None,
) -> Channel:
    """A new channel in the guide, on no line-up yet."""
    values = _channel_values(
        number=number, call_sign=call_sign, name=name, genre=genre, is_hd=is_hd
    )
    if Channel.objects.filter(number=number).exists():
        raise CatalogError("number", _("Another channel already has this number."))
    channel = Channel()
    with transaction.atomic():
        changes = save_fields(channel, values)
        record(
            action="catalog.channel_created",
            target=channel,
            data={"number": channel.number, "changes": changes},
            actor=actor,
            request=request,
        )
    return channel


def change_channel(
    *,
    channel: Channel,
    number: int,
    call_sign: str,
    name: str,
    genre: str,
    is_hd: bool,
    actor: Any = None,
    request: HttpRequest | None = None,
) -> dict[str, dict[str, Any]]:
    """Change a channel's number, call sign, name, genre or HD; returns what changed."""
    values = _channel_values(
        number=number, call_sign=call_sign, name=name, genre=genre, is_hd=is_hd
    )
    with transaction.atomic():
        locked = Channel.objects.select_for_update().get(pk=channel.pk)
        if Channel.objects.filter(number=number).exclude(pk=locked.pk).exists():
            raise CatalogError("number", _("Another channel already has this number."))
        changes = save_fields(locked, values)
        if changes:
            record(
                action="catalog.channel_changed",
                target=locked,
                data={"number": locked.number, "changes": changes},
                actor=actor,
                request=request,
            )
    return changes


def set_line_up(
    *,
    carrier: Plan | AddOn,
    channels: Iterable[Channel],
    actor: Any = None,
    request: HttpRequest | None = None,
) -> dict[str, list[int]]:
    """The channels of a TV plan or a TV add-on, exactly ``channels``. Returns the
    numbers added and removed; nothing is recorded when the line-up is the same."""
    if carrier.kind != ServiceKind.TV:
        raise CatalogError("channels", _("Only TV plans and TV add-ons have channels."))
    wanted = {channel.pk: channel for channel in channels}
    model = type(carrier)
    with transaction.atomic():
        locked = model.objects.select_for_update().get(pk=carrier.pk)
        current = {channel.pk: channel for channel in locked.channels.all()}
        added = sorted(c.number for pk, c in wanted.items() if pk not in current)
        removed = sorted(c.number for pk, c in current.items() if pk not in wanted)
        if not added and not removed:
            return {"added": [], "removed": []}
        locked.channels.set(list(wanted.values()))
        action = (
            "catalog.plan_line_up_changed" if model is Plan else "catalog.add_on_line_up_changed"
        )
        record(
            action=action,
            target=locked,
            data={"code": locked.code, "added": added, "removed": removed},
            actor=actor,
            request=request,
        )
    return {"added": added, "removed": removed}
