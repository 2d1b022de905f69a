"""The installable app: its manifest, its service worker and the offline page.

All three are public and show no one's data. The manifest and the offline page are the
same for everyone in a language (``?lang=``, else the browser's or the chosen one), so
shared caches may keep them a while; the worker's script is never kept (the default
``no-store``), so a deploy reaches everyone at their next visit.
"""

from __future__ import annotations

import json

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET

from dropline.core.cache_control import public_cache
from dropline.portal.pwa.manifest import app_manifest
from dropline.portal.pwa.worker import offline_page, worker_script

MAX_AGE_SECONDS = 60 * 60


def _language(request: HttpRequest) -> str:
    asked = request.GET.get("lang", "")
    codes = [code for code, _name in settings.LANGUAGES]
    return asked if asked in codes else (translation.get_language() or settings.LANGUAGE_CODE)


def _in_language(response: HttpResponse, language: str) -> HttpResponse:
    patch_vary_headers(response, ("Accept-Language", "Cookie"))
    response["Content-Language"] = language
    return response


@require_GET
@public_cache(MAX_AGE_SECONDS)
def manifest(request: HttpRequest) -> HttpResponse:
    language = _language(request)
    with translation.override(language):
        body = json.dumps(app_manifest(language), ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/manifest+json; charset=utf-8")
    return _in_language(response, language)


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(worker_script(), content_type="text/javascript; charset=utf-8")
    # Its own address is at the root already; said outright for proxies that rewrite.
    response["Service-Worker-Allowed"] = "/"
    return response


@require_GET
@public_cache(MAX_AGE_SECONDS)
def offline(request: HttpRequest) -> HttpResponse:
    language = _language(request)
    return _in_language(HttpResponse(offline_page(language)), language)
