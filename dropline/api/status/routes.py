"""The public status page for apps and the provider's site: every service area with what
is going on there, and one area's outages with their updates. Open to anyone, as
``/status/`` is: it reads areas and outages only (``network.outages.queries.public_areas``
and ``public_area``), never an account, and is the same for everyone, so shared caches
may keep a successful answer for a minute (``core.cache_control.public_cache``)."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from django.utils import translation
from ninja import Query, Router
from ninja.decorators import decorate_view

from dropline.api.languages import answer_language
from dropline.api.schemas import ErrorOut, InvalidInputOut
from dropline.api.status.schemas import (
    StatusAreaOut,
    StatusAreasOut,
    StatusAreaSummaryOut,
    StatusOutageDetailOut,
    StatusOutageOut,
    StatusQuery,
    StatusUpdateOut,
)
from dropline.core.cache_control import public_cache
from dropline.customers.models import ServiceArea
from dropline.network.models import Outage
from dropline.network.outages import queries

router = Router(tags=["status"])

MAX_AGE_SECONDS = 60  # as the status page
BAD_INPUT: dict[int, Any] = {400: InvalidInputOut, 422: InvalidInputOut}


def _outage(outage: Outage, language: str) -> dict[str, Any]:
    return {
        "id": outage.pk,
        "kind": outage.kind,
        "kind_label": str(outage.get_kind_display()),
        "status": outage.status,
        "status_label": str(outage.get_status_display()),
        "title": outage.title(language),
        "cause": outage.cause(language) or None,
        "services": list(outage.service_kinds),
        "starts_at": outage.starts_at,
        "eta": outage.eta,
        "resolved_at": outage.resolved_at,
    }


def _detail(outage: Outage, language: str) -> StatusOutageDetailOut:
    return StatusOutageDetailOut(
        **_outage(outage, language),
        updates=[
            StatusUpdateOut(
                posted_at=update.posted_at,
                status=update.status,
                status_label=str(update.get_status_display()),
                eta=update.eta,
                message=update.message(language),
            )
            for update in outage.updates.all()
        ],
    )


@router.get(
    "/status",
    response={200: StatusAreasOut, **BAD_INPUT},
    summary="Service status in every area",
    auth=None,
)
@decorate_view(public_cache(MAX_AGE_SECONDS))
def areas(request: HttpRequest, query: Query[StatusQuery]) -> StatusAreasOut:
    """Every service area with its state, the outages and maintenance going on now and
    the maintenance planned, as the public status page shows them. No sign-in."""
    language = answer_language(query.language)
    with translation.override(language):
        return StatusAreasOut(
            language=language,
            areas=[
                StatusAreaSummaryOut(
                    code=state.area.code,
                    name=state.area.name,
                    state=state.state,
                    current=[StatusOutageOut(**_outage(o, language)) for o in state.current],
                    upcoming=[StatusOutageOut(**_outage(o, language)) for o in state.upcoming],
                )
                for state in queries.public_areas()
            ],
        )


@router.get(
    "/status/{code}",
    response={200: StatusAreaOut, 404: ErrorOut, **BAD_INPUT},
    summary="Service status in one area",
    auth=None,
)
@decorate_view(public_cache(MAX_AGE_SECONDS))
def area(request: HttpRequest, code: str, query: Query[StatusQuery]) -> StatusAreaOut:
    """One service area (`code` from `GET /status`): what is going on now, maintenance
    planned and what was fixed in the last 7 days, each with its updates. No sign-in."""
    language = answer_language(query.language)
    try:
        state = queries.public_area(code=code)
    except ServiceArea.DoesNotExist as missing:
        raise Http404 from missing
    with translation.override(language):
        return StatusAreaOut(
            language=language,
            code=state.area.code,
            name=state.area.name,
            state=state.state,
            current=[_detail(o, language) for o in state.current],
            upcoming=[_detail(o, language) for o in state.upcoming],
            recent=[_detail(o, language) for o in state.recent],
        )
