"""Stripe's element on the add-a-method page: the partial mounts it with the
SetupIntent's client secret and posts only a token back; the content security policy
lets Stripe in only when Stripe is the gateway."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.test import RequestFactory, override_settings
from django.urls import get_resolver, include, path
from django.utils import translation

from dropline import urls as site_urls
from dropline.core.security import CONTENT_SECURITY_POLICY
from dropline.payments.gateways.base import SetupStart


def _add(request: HttpRequest) -> HttpResponse:
    return HttpResponse("")


# The site's addresses, and the portal's add-method address under its real name if the
# site does not have it yet, for rendering the partial alone.
urlpatterns = list(site_urls.urlpatterns)
if "payment_methods" not in get_resolver(site_urls.__name__).namespace_dict:
    urlpatterns.append(
        path("billing/methods/", include(([path("add/", _add, name="add")], "payment_methods")))
    )

SETUP = SetupStart(client_secret="seti_123_secret_abc", publishable_key="pk_test_123")
PARTIAL = "portal/payment_methods/_collect_stripe.html"


def _render(language: str = "en") -> str:
    request = RequestFactory().get("/billing/methods/add/")
    with translation.override(language):
        return render_to_string(PARTIAL, {"setup": SETUP, "gateway": "stripe"}, request=request)


def _directives(policy: str) -> dict[str, list[str]]:
    return {d.split()[0]: d.split()[1:] for d in policy.split("; ")}


@pytest.mark.urls(__name__)
def test_the_partial_carries_the_setup_and_posts_a_token_with_csrf() -> None:
    page = _render()

    assert 'action="/billing/methods/add/"' in page
    assert 'method="post"' in page
    assert 'data-client-secret="seti_123_secret_abc"' in page
    assert 'data-publishable-key="pk_test_123"' in page
    assert 'name="csrfmiddlewaretoken"' in page
    assert 'name="token"' in page
    assert 'name="make_default"' in page
    assert '<script src="https://js.stripe.com/v3/"' in page
    assert "stripe_setup.js" in page
    # no field for a card or bank number: those are in Stripe's frames only
    assert not re.search(r'name="(number|cvc|account_number|routing_number)"', page)
    # no inline script: the content security policy forbids it
    assert not re.search(r"<script(?![^>]*\bsrc=)", page)


@pytest.mark.urls(__name__)
def test_the_partial_is_in_spanish_for_spanish_speakers() -> None:
    page = _render("es")

    assert "Tarjeta o cuenta bancaria" in page
    assert "Guardar este método" in page
    assert 'data-locale="es"' in page
    assert "Card or bank account" not in page


def test_the_script_confirms_without_redirect_and_posts_the_setup_intent() -> None:
    script = Path(settings.BASE_DIR, "dropline/static/dropline/stripe_setup.js").read_text()
    assert 'redirect: "if_required"' in script
    assert "confirmSetup" in script
    assert 'elements.create("payment"' in script
    assert "token.value = setupIntentId" in script


@pytest.mark.django_db
def test_with_the_simulator_the_policy_allows_no_other_origin(client) -> None:
    with override_settings(DROPLINE_PAYMENT_GATEWAY="simulator"):
        policy = client.get("/healthz")["Content-Security-Policy"]

    assert policy == CONTENT_SECURITY_POLICY
    assert "stripe" not in policy


@pytest.mark.django_db
def test_with_stripe_the_policy_allows_stripe_js_its_frames_and_api_only(client) -> None:
    with override_settings(DROPLINE_PAYMENT_GATEWAY="stripe"):
        policy = client.get("/healthz")["Content-Security-Policy"]

    found = _directives(policy)
    assert found["script-src"] == ["'self'", "https://js.stripe.com"]
    assert found["frame-src"] == ["'self'", "https://js.stripe.com", "https://hooks.stripe.com"]
    assert found["connect-src"] == ["'self'", "https://api.stripe.com"]
    # everything else as strict as ever
    strict = _directives(CONTENT_SECURITY_POLICY)
    for name in ("default-src", "style-src", "img-src", "object-src", "frame-ancestors"):
        assert found[name] == strict[name]
    assert "'unsafe-inline'" not in policy
