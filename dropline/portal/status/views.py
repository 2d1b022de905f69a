"""The public status page a provider links from its site: every service area with its
state, and per area what is on now, maintenance ahead and what was fixed lately.

Anyone may open it, signed in or not, and it is the same for everyone: it reads areas
and outages only (``network.outages.queries.public_areas``/``public_area``), never an
account, and its template shows no one's name, bell or messages and sets no cookie. So
shared caches may keep it for a minute (``public_cache``); the language comes from the
browser, or ``?lang=es``, and the answer varies by both.
"""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET

from dropline.core.cache_control import public_cache
from dropline.customers.models import ServiceArea
from dropline.network.outages import queries

MAX_AGE_SECONDS = 60


def _language(request: HttpRequest) -> str:
    asked = request.GET.get("lang", "")
    codes = [code for code, _ in settings.LANGUAGES]
    return asked if asked in codes else (translation.get_language() or "en")


def _page(request: HttpRequest, template: str, context: dict[str, object]) -> HttpResponse:
    language = _language(request)
    with translation.override(language):
        response = render(request, template, context)
    patch_vary_headers(response, ("Accept-Language", "Cookie"))
    response["Content-Language"] = language
    return response


@require_GET
@public_cache(MAX_AGE_SECONDS)
def index(request: HttpRequest) -> HttpResponse:
    return _page(request, "portal/status/index.html", {"areas": queries.public_areas()})


@require_GET
@public_cache(MAX_AGE_SECONDS)
def area(request: HttpRequest, code: str) -> HttpResponse:
    try:
        state = queries.public_area(code=code)
    except ServiceArea.DoesNotExist as missing:
        raise Http404 from missing
    return _page(request, "portal/status/area.html", {"state": state})
