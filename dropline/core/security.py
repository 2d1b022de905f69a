"""Security headers Django 5.2 does not set itself: a strict Content-Security-Policy
and a Permissions-Policy. Everything Dropline serves comes from its own origin,
so no page needs inline scripts, other origins or framing.

The one exception is the payment gateway's own element: when the gateway is Stripe
(``DROPLINE_PAYMENT_GATEWAY=stripe``) the policy also allows Stripe.js from
``https://js.stripe.com``, its frames (``js.stripe.com``, ``hooks.stripe.com``) and its
calls to ``https://api.stripe.com``, so card and bank details go from the browser to
Stripe without passing through Dropline. With the simulator, nothing else is allowed."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "frame-src 'self'",
    ]
)
# What Stripe.js needs, by directive (added only when the gateway is Stripe).
STRIPE_SOURCES = {
    "script-src": "https://js.stripe.com",
    "frame-src": "https://js.stripe.com https://hooks.stripe.com",
    "connect-src": "https://api.stripe.com",
}


def _with_sources(policy: str, extra: dict[str, str]) -> str:
    directives = []
    for directive in policy.split("; "):
        name = directive.split()[0]
        directives.append(f"{directive} {extra[name]}" if name in extra else directive)
    return "; ".join(directives)


STRIPE_CONTENT_SECURITY_POLICY = _with_sources(CONTENT_SECURITY_POLICY, STRIPE_SOURCES)


def content_security_policy() -> str:
    """The site's policy for the configured payment gateway."""
    if settings.DROPLINE_PAYMENT_GATEWAY == "stripe":
        return STRIPE_CONTENT_SECURITY_POLICY
    return CONTENT_SECURITY_POLICY


PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", content_security_policy())
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response
