"""No answer of Dropline's may be kept by a shared cache or the browser's history.

A sibling of the cross-account sweep (``tests/site/test_no_cross_account_access.py``), on the
same lists: every pattern in ``dropline.urls`` and every operation in the JSON API's
OpenAPI document. Each is asked by GET and by POST (and the API's by its own methods)
by a customer and by staff signed in on the web (staff with their second factor), by
the mobile app with its ``X-Session-Token``, and by a visitor who is not signed in.
Every answer must say ``Cache-Control: no-store``, or ``private, no-cache`` for a view
that opted in with ``dropline.core.cache_control.private_cache``. A URL added tomorrow
is in the lists, so it is checked too. Static files keep WhiteNoise's cache headers.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.resolvers import RegexPattern

from dropline.core.cache_control import (
    NO_STORE,
    PRIVATE_NO_CACHE,
    NoStoreMiddleware,
    cache_control_for,
    private_cache,
)
from tests.support.factories import PASSWORD, make_customer, make_user
from tests.support.sweep import Route, api_paths, path_params, sign_in

pytestmark = pytest.mark.django_db

APP_LOGIN = "/_allauth/app/v1/auth/login"
APP_SESSION = "/_allauth/app/v1/auth/session"
# Values for path parameters: ids are 1; these take words. A pattern written as a regular
# expression with a group not listed here fails ``every_url`` until it is added.
WORD_PARAMS = {"token": "x", "method": "totp", "number": "x", "key": "x-y", "uidb36": "x1"}
REGEX_PARAMS = {**WORD_PARAMS, "app_label": "accounts", "url": "nothing-here/"}


def _url(route: Route) -> str:
    """The route's own path with its parameters filled in (not ``reverse``: allauth's
    headless API has the same names for the browser and the app)."""
    path = route.path
    if route.is_regex:
        missing = [p for p in route.params if p not in REGEX_PARAMS]
        assert not missing, f"{route.path}: add a value for {missing} to REGEX_PARAMS"
        path = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: REGEX_PARAMS[m.group(1)], path)
        path = path.replace("^", "").replace("$", "")
    path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: WORD_PARAMS.get(m.group(1), "1"), path)
    return "/" + path


def _patterns(patterns: list[URLPattern | URLResolver], prefix: str = "") -> Iterator[Route]:
    """Every pattern, named or not (the sweep's ``_walk`` keeps the named ones)."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _patterns(pattern.url_patterns, prefix + str(pattern.pattern))
            continue
        route = prefix + str(pattern.pattern)
        if isinstance(pattern.pattern, RegexPattern) or "(?P<" in route:
            params = tuple(re.findall(r"\(\?P<(\w+)>", route))
            yield Route(path=route, name=route, params=params, is_regex=True)
        else:
            params = tuple(re.findall(r"<(?:\w+:)?(\w+)>", route))
            yield Route(path=route, name=route, params=params, is_regex=False)


def every_url() -> list[str]:
    """One concrete URL for every pattern Django routes."""
    return sorted({_url(route) for route in _patterns(get_resolver().url_patterns)})


def every_api_call() -> list[tuple[str, str]]:
    """(method, URL) for every operation of the JSON API."""
    calls = []
    for path, operations in api_paths().items():
        for method, operation in operations.items():
            calls.append((method, path.format(**dict.fromkeys(path_params(operation), 1))))
    return calls


# Pages that are the same for everyone and show no account's data, which shared caches
# may keep for a while (``dropline.core.cache_control.public_cache``), with the reason.
PUBLICLY_CACHED = {
    "/status/": "the public status page: service areas and their outages, no account",
    "/api/v1/status": "the status page's areas and outages for apps, no account",
    "/manifest.webmanifest": "the web app manifest: names, colors and icons, no account",
    "/offline/": "the offline page: the provider's phone number and hours, no account",
}


def allowed(response: HttpResponse) -> bool:
    value = response.get("Cache-Control", "")
    directives = {part.strip().split("=")[0].lower() for part in value.split(",")}
    if value.startswith("public, max-age=") and response.status_code == 200:
        path = getattr(response, "wsgi_request").path  # noqa: B009 - the test client's
        return path in PUBLICLY_CACHED and not response.cookies
    return NO_STORE in directives or value == PRIVATE_NO_CACHE


class Caller:
    """A client that stays signed in: an answer that signed it out (a sign-out page,
    ending every session) is checked, then it signs in again for the next URL."""

    def __init__(self, who: str) -> None:
        self.who = who
        self.sign_ins = 0
        self.client = self._sign_in()

    def _sign_in(self) -> Client:
        self.sign_ins += 1
        cache.clear()  # rate limits, and a TOTP code may be used once only
        if self.who == "anonymous":
            return Client(raise_request_exception=False)
        if self.who == "app token":
            answer = Client().post(
                APP_LOGIN,
                {"username": "cassie", "password": PASSWORD},
                content_type="application/json",
            )
            assert answer.status_code == 200, answer.content
            token = answer.json()["meta"]["session_token"]
            return Client(HTTP_X_SESSION_TOKEN=token, raise_request_exception=False)
        username = "cassie" if self.who == "customer" else "opsadmin"
        client = sign_in(username, "198.51.100.40")
        # An empty POST may crash a view (allauth's headless phone page does without
        # phone numbers configured); Django's error page must say no-store too.
        client.raise_request_exception = False
        return client

    def signed_in(self) -> bool:
        if self.who == "anonymous":
            return True
        if self.who == "app token":
            return bool(self.client.get(APP_SESSION).status_code == 200)
        return SESSION_KEY in self.client.session

    def ask(self, method: str, url: str) -> HttpResponse:
        call: Callable[..., HttpResponse] = getattr(self.client, method.lower())
        if method.upper() == "GET":
            response = call(url)
        else:
            response = call(url, {}, content_type="application/json")
        if response.status_code in (302, 401, 403, 410) and not self.signed_in():
            self.client = self._sign_in()
        return response


@pytest.fixture
def people() -> None:
    make_customer(username="cassie")
    make_user(username="opsadmin", is_staff=True, is_superuser=True)  # with a second factor


def _sweep(caller: Caller, calls: Iterator[tuple[str, str]]) -> tuple[int, list[str]]:
    problems, checked = [], 0
    for method, url in calls:
        response = caller.ask(method, url)
        checked += 1
        if not allowed(response):
            problems.append(
                f"{caller.who}: {method} {url} -> {response.status_code} "
                f"Cache-Control: {response.get('Cache-Control')!r}"
            )
    return checked, problems


def _both_methods(urls: list[str]) -> Iterator[tuple[str, str]]:
    for url in urls:
        yield "GET", url
        yield "POST", url


@pytest.mark.parametrize("who", ["customer", "staff", "app token", "anonymous"])
def test_every_answer_to_every_url_says_no_store(people, who):
    caller = Caller(who)
    urls = every_url()
    if who == "app token":  # the app's token means something only to the two APIs
        urls = [u for u in urls if u.startswith(("/api/v1/", "/_allauth/"))]
    checked, problems = _sweep(caller, _both_methods(urls))
    api_checked, api_problems = _sweep(caller, iter(every_api_call()))
    assert not problems + api_problems, "\n".join(problems + api_problems)
    assert checked > 100 if who != "app token" else checked > 20
    assert api_checked > 20


def test_the_sweep_sees_every_part_of_the_site():
    """A guard on the sweep itself: signed-in pages, staff pages and both APIs."""
    urls = every_url()
    for expected in (
        reverse("portal:overview"),
        "/backoffice/",
        "/backoffice/admin/",
        "/api/v1/me",
        "/_allauth/app/v1/auth/session",
        "/_allauth/app/v1/account/authenticators/totp",  # Dropline's, unnamed
        "/healthz",
        "/metrics",
    ):
        assert any(url.rstrip("/") == expected.rstrip("/") for url in urls), expected


def test_personal_pages_say_no_store_when_signed_in(people):
    """The pages the outside test named, answered in full (not a redirect)."""
    customer, staff = Caller("customer"), Caller("staff")
    app = Caller("app token")
    for caller, url in (
        (customer, reverse("portal:overview")),
        (customer, reverse("services:index")),
        (customer, reverse("channels:index") + "?q=news"),
        (staff, "/backoffice/"),
        (staff, "/backoffice/admin/"),
        (app, "/api/v1/me"),
        (app, "/api/v1/services"),
        (app, "/api/v1/channels?q=news"),
        (app, APP_SESSION),
    ):
        response = caller.ask("GET", url)
        assert response.status_code == 200, (caller.who, url, response.status_code)
        assert allowed(response), (caller.who, url, response["Cache-Control"])
    assert customer.sign_ins == staff.sign_ins == app.sign_ins == 1


def test_static_files_keep_their_cache_headers(client):
    response = client.get(f"{settings.STATIC_URL}dropline/site.css")
    assert response.status_code == 200
    assert "max-age=" in response["Cache-Control"]
    assert NO_STORE not in response["Cache-Control"]


def test_the_middleware_sits_below_whitenoise():
    """Above it, static files would lose their cache headers; it must be there at all."""
    order = settings.MIDDLEWARE
    here = order.index("dropline.core.cache_control.NoStoreMiddleware")
    assert here == order.index("whitenoise.middleware.WhiteNoiseMiddleware") + 1


def test_a_view_can_opt_in_to_private_no_cache():
    @private_cache
    def page(request: HttpRequest) -> HttpResponse:
        return HttpResponse("mine")

    response = NoStoreMiddleware(page)(RequestFactory().get("/"))
    assert response["Cache-Control"] == PRIVATE_NO_CACHE


@pytest.mark.parametrize(
    ("set_by_view", "sent"),
    [
        ("", NO_STORE),
        ("public, max-age=3600", NO_STORE),
        ("max-age=0, no-cache, no-store, must-revalidate, private", None),  # never_cache
    ],
)
def test_other_cache_headers_give_way_unless_they_already_forbid_storing(set_by_view, sent):
    response = HttpResponse()
    if set_by_view:
        response["Cache-Control"] = set_by_view
    assert cache_control_for(response) == (sent or set_by_view)
