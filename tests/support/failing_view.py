"""The site's URLconf with one view that fails, saying secrets in its error."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import path

from dropline.urls import urlpatterns as site_patterns

PASSWORD = "correct-horse-battery-staple-41"
BEARER = "s3cr3t-bearer-token-0123456789abcdef"


def boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError(f"failed with password={PASSWORD} and Authorization: Bearer {BEARER}")


urlpatterns = [*site_patterns, path("boom", boom, name="boom")]
