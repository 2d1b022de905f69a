"""Sessions and devices, the security hub, and re-authentication before security changes.

Sign-ins go through the real sign-in form (or the mobile app's headless API) with a
real browser's User-Agent and address, so the session list shows what a customer
would see.
"""

from __future__ import annotations

from importlib import import_module
from types import ModuleType
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.conf import settings as django_settings
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import NoReverseMatch, include, path, reverse

from dropline.accounts.models import SecurityEvent
from dropline.accounts.second_factor import enrol_authenticator_app
from dropline.identity.sessions import (
    SessionNotFoundError,
    active_sessions,
    end_other_sessions,
    end_session,
    parse_user_agent,
)
from dropline.notifications.contacts import add_verified_contact
from dropline.notifications.models import ContactKind, ContactPoint
from tests.support.factories import PASSWORD, STAFF_TOTP_SECRET, Customer, make_customer
from tests.support.totp import code_with_time_to_spare

pytestmark = pytest.mark.django_db

CHROME_WINDOWS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36"
)
SAFARI_IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1"
)
FIREFOX_LINUX = "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0"
APP_ANDROID = "okhttp/4.12.0"

SESSIONS = "/security/sessions/"
HUB = "/security/"
LOGIN = "/accounts/login/"
REAUTHENTICATE = "/accounts/reauthenticate/"


def browser(user_agent: str, ip: str) -> Client:
    return Client(HTTP_USER_AGENT=user_agent, REMOTE_ADDR=ip)


def sign_in(client: Client, username: str, password: str = PASSWORD) -> Client:
    response = client.post(LOGIN, {"login": username, "password": password})
    assert response.status_code == 302, response.content
    assert response["Location"] != LOGIN
    return client


def app_token(username: str, *, user_agent: str = APP_ANDROID, ip: str = "203.0.113.9") -> str:
    """Sign in as the mobile app does and return its session token."""
    app = Client(HTTP_USER_AGENT=user_agent, REMOTE_ADDR=ip)
    response = app.post(
        "/_allauth/app/v1/auth/login",
        {"username": username, "password": PASSWORD},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    return str(response.json()["meta"]["session_token"])


def signed_in(client: Client) -> bool:
    """Whether the client's next request is still signed in (it follows no redirects)."""
    response = client.get(reverse("portal:overview"))
    return response.status_code == 200


def session_of(client: Client) -> UserSession:
    return UserSession.objects.get(session_key=client.session.session_key)


@pytest.fixture
def ann() -> Customer:
    return make_customer(username="ann")


@pytest.fixture
def ned() -> Customer:
    return make_customer(username="ned", name="Ned Household")


# --- the device a User-Agent names -------------------------------------------------------


@pytest.mark.parametrize(
    ("user_agent", "label"),
    [
        (CHROME_WINDOWS, "Chrome on Windows"),
        (SAFARI_IPHONE, "Safari on iPhone"),
        (FIREFOX_LINUX, "Firefox on Linux"),
        (
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 "
            "(KHTML, like Gecko) Version/17.4 Safari/605.1.15",
            "Safari on macOS",
        ),
        (
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/124.0.0.0 Safari/537.36 Edg/124.0.2478.51",
            "Edge on Windows",
        ),
        (
            "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/124.0.0.0 Mobile Safari/537.36",
            "Chrome on Android",
        ),
        (
            "Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) "
            "SamsungBrowser/24.0 Chrome/117.0.0.0 Mobile Safari/537.36",
            "Samsung Internet on Android",
        ),
        (
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
            "(KHTML, like Gecko) CriOS/124.0.6367.88 Mobile/15E148 Safari/604.1",
            "Chrome on iPhone",
        ),
        (
            "Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/124.0.0.0 Safari/537.36",
            "Chrome on ChromeOS",
        ),
        (
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/124.0.0.0 Safari/537.36 OPR/110.0.0.0",
            "Opera on Windows",
        ),
        (APP_ANDROID, "Mobile app on Android"),
        ("", "Unknown device"),
        ("something/1.0", "something"),
        ("<script>alert(1)</script>", "Unknown device"),
    ],
)
def test_user_agent_is_described_as_browser_on_system(user_agent, label):
    assert parse_user_agent(user_agent).label == label


# --- the list -----------------------------------------------------------------------------


def test_lists_my_sessions_with_device_address_and_times_and_marks_this_one(ann, ned):
    laptop = sign_in(browser(CHROME_WINDOWS, "198.51.100.10"), "ann")
    phone = sign_in(browser(SAFARI_IPHONE, "198.51.100.20"), "ann")
    app_token("ann")
    sign_in(browser(FIREFOX_LINUX, "192.0.2.99"), "ned")

    response = laptop.get(SESSIONS)

    assert response.status_code == 200
    html = response.content.decode()
    listed = response.context["sessions"]
    assert [s.device_label for s in listed] == [
        "Chrome on Windows",  # this one first
        "Mobile app on Android",
        "Safari on iPhone",
    ]
    assert [s.is_current for s in listed] == [True, False, False]
    assert listed[0].ip == "198.51.100.10"
    assert listed[2].ip == "198.51.100.20"
    assert all(s.first_seen <= s.last_seen for s in listed)
    assert html.count("This device</span>") == 1
    assert "198.51.100.20" in html
    assert "Safari on iPhone" in html
    # Ned's session is nowhere on Ann's page.
    assert "192.0.2.99" not in html
    assert "Firefox" not in html
    # Each other session has its own sign-out button, posting with a CSRF token.
    for other in listed[1:]:
        assert f'action="/security/sessions/{other.id}/end/"' in html
    assert "csrfmiddlewaretoken" in html
    assert phone.get(SESSIONS).context["sessions"][0].device_label == "Safari on iPhone"


def test_last_seen_follows_activity(ann):
    laptop = sign_in(browser(CHROME_WINDOWS, "198.51.100.10"), "ann")
    row = session_of(laptop)
    UserSession.objects.filter(pk=row.pk).update(last_seen_at=row.created_at)
    laptop.get(reverse("portal:overview"))
    row.refresh_from_db()
    assert row.last_seen_at > row.created_at


def test_sessions_that_ended_elsewhere_are_not_listed(ann):
    laptop = sign_in(browser(CHROME_WINDOWS, "198.51.100.10"), "ann")
    phone = sign_in(browser(SAFARI_IPHONE, "198.51.100.20"), "ann")
    Session.objects.filter(session_key=phone.session.session_key).delete()  # expired
    listed = active_sessions(user=ann.user, current_session_key=laptop.session.session_key)
    assert [s.device_label for s in listed] == ["Chrome on Windows"]


# --- ending one ---------------------------------------------------------------------------


def test_ending_a_session_signs_that_browser_out_on_its_next_request(ann):
    laptop = sign_in(browser(CHROME_WINDOWS, "198.51.100.10"), "ann")
    phone = sign_in(browser(SAFARI_IPHONE, "198.51.100.20"), "ann")
    assert signed_in(phone)
    target = session_of(phone)

    response = laptop.post(f"/security/sessions/{target.pk}/end/")

    assert response.status_code == 302
    assert response["Location"] == SESSIONS
    assert "Safari on iPhone is signed out." in laptop.get(SESSIONS).content.decode()
    # The phone's very next request, web or API, is anonymous.
    overview = phone.get(reverse("portal:overview"))
    assert overview.status_code == 302
    assert overview["Location"].startswith(LOGIN)
    assert phone.get("/api/v1/me").status_code == 401
    assert not UserSession.objects.filter(pk=target.pk).exists()
    # The laptop carries on.
    assert signed_in(laptop)


def test_ending_the_app_session_refuses_its_token_in_the_api(ann):
    laptop = sign_in(browser(CHROME_WINDOWS, "198.51.100.10"), "ann")
    token = app_token("ann")
    assert Client().get("/api/v1/me", HTTP_X_SESSION_TOKEN=token).status_code == 200
    app_row = UserSession.objects.get(session_key=token)

    laptop.post(f"/security/sessions/{app_row.pk}/end/")

    response = Client().get("/api/v1/me", HTTP_X_SESSION_TOKEN=token)
    assert response.status_code == 401
    assert response.json() == {"detail": "Unauthorized"}


def test_another_persons_session_is_404_and_keeps_working(ann, ned):
    mine = sign_in(browser(CHROME_WINDOWS, "198.51.100.10"), "ann")
    theirs = sign_in(browser(FIREFOX_LINUX, "192.0.2.99"), "ned")
    their_row = session_of(theirs)

    response = mine.post(f"/security/sessions/{their_row.pk}/end/")

    assert response.status_code == 404
    assert UserSession.objects.filter(pk=their_row.pk).exists()
    assert signed_in(theirs)
    with pytest.raises(SessionNotFoundError):
        end_session(user=ann.user, session_id=their_row.pk, current_session_key=None)


def test_a_missing_session_is_404(ann):
    laptop = sign_in(browser(CHROME_WINDOWS, "198.51.100.10"), "ann")
    assert laptop.post("/security/sessions/987654/end/").status_code == 404


def test_ending_needs_post_and_a_csrf_token(ann):
    laptop = Client(enforce_csrf_checks=True, HTTP_USER_AGENT=CHROME_WINDOWS)
    laptop.get(LOGIN)
    csrf = laptop.cookies["csrftoken"].value
    signed = laptop.post(LOGIN, {"login": "ann", "password": PASSWORD, "csrfmiddlewaretoken": csrf})
    assert signed.status_code == 302
    phone = sign_in(browser(SAFARI_IPHONE, "198.51.100.20"), "ann")
    target = session_of(phone)
    url = f"/security/sessions/{target.pk}/end/"

    assert laptop.get(url).status_code == 405
    assert laptop.post(url).status_code == 403  # no CSRF token
    assert laptop.post("/security/sessions/end-others/").status_code == 403
    assert signed_in(phone)

    token = laptop.cookies["csrftoken"].value
    assert laptop.post(url, {"csrfmiddlewaretoken": token}).status_code == 302
    assert not signed_in(phone)


def test_ending_this_session_signs_me_out(ann):
    laptop = sign_in(browser(CHROME_WINDOWS, "198.51.100.10"), "ann")
    mine = session_of(laptop)
    response = laptop.post(f"/security/sessions/{mine.pk}/end/")
    assert response.status_code == 302
    assert response["Location"] == LOGIN
    assert not signed_in(laptop)


# --- ending all others ------------------------------------------------------------------


def test_sign_out_everywhere_else_keeps_only_this_session(ann, ned):
    laptop = sign_in(browser(CHROME_WINDOWS, "198.51.100.10"), "ann")
    phone = sign_in(browser(SAFARI_IPHONE, "198.51.100.20"), "ann")
    token = app_token("ann")
    neds = sign_in(browser(FIREFOX_LINUX, "192.0.2.99"), "ned")
    page = laptop.get(SESSIONS).content.decode()
    assert "Sign out everywhere else" in page

    response = laptop.post("/security/sessions/end-others/")

    assert response.status_code == 302
    assert "2 other sessions are signed out." in laptop.get(SESSIONS).content.decode()
    assert not signed_in(phone)
    assert Client().get("/api/v1/me", HTTP_X_SESSION_TOKEN=token).status_code == 401
    assert signed_in(laptop)
    assert signed_in(neds)  # another person's sessions are untouched
    assert [s.is_current for s in laptop.get(SESSIONS).context["sessions"]] == [True]
    assert "Sign out everywhere else" not in laptop.get(SESSIONS).content.decode()


def test_sign_out_everywhere_else_with_nothing_else(ann):
    laptop = sign_in(browser(CHROME_WINDOWS, "198.51.100.10"), "ann")
    response = laptop.post("/security/sessions/end-others/", follow=True)
    assert "You were not signed in anywhere else." in response.content.decode()
    assert signed_in(laptop)


def test_end_other_sessions_without_a_current_one_ends_them_all(ann):
    sign_in(browser(CHROME_WINDOWS, "198.51.100.10"), "ann")
    app_token("ann")
    ended = end_other_sessions(user=ann.user, current_session_key=None)
    assert len(ended) == 2
    assert not UserSession.objects.filter(user=ann.user).exists()


# --- allauth's own session page ----------------------------------------------------------


def test_allauths_session_page_looks_like_the_portal_and_points_to_it(ann):
    laptop = sign_in(browser(CHROME_WINDOWS, "198.51.100.10"), "ann")
    phone = sign_in(browser(SAFARI_IPHONE, "198.51.100.20"), "ann")
    response = laptop.get(reverse("usersessions_list"))
    assert response.status_code == 200
    assert "base.html" in [t.name for t in response.templates]
    html = response.content.decode()
    assert f'href="{SESSIONS}"' in html
    assert "You are signed in on 2 browsers and apps." in html

    laptop.post(reverse("usersessions_list"))

    assert not signed_in(phone)
    assert signed_in(laptop)


# --- security events -----------------------------------------------------------------------

ADAPTER = "dropline.identity.sessions.UserSessionsAdapter"


def test_ending_sessions_is_recorded_as_a_security_event(ann, settings):
    settings.USERSESSIONS_ADAPTER = ADAPTER
    laptop = sign_in(browser(CHROME_WINDOWS, "198.51.100.10"), "ann")
    phone = sign_in(browser(SAFARI_IPHONE, "198.51.100.20"), "ann")
    app_token("ann")

    laptop.post(f"/security/sessions/{session_of(phone).pk}/end/")
    laptop.post("/security/sessions/end-others/")

    events = list(SecurityEvent.objects.filter(user=ann.user, kind="session_ended").order_by("pk"))
    assert [(e.data["session_browser"], e.data["session_os"]) for e in events] == [
        ("Safari", "iPhone"),
        (parse_user_agent(APP_ANDROID).browser, "Android"),
    ]
    assert {e.ip for e in events} == {"198.51.100.10"}  # ended from the laptop
    assert events[0].data["session_ip"] == "198.51.100.20"


def test_nothing_is_recorded_when_nothing_was_ended(ann, settings):
    settings.USERSESSIONS_ADAPTER = ADAPTER
    laptop = sign_in(browser(CHROME_WINDOWS, "198.51.100.10"), "ann")
    laptop.post("/security/sessions/end-others/")
    assert not SecurityEvent.objects.filter(kind="session_ended").exists()


def test_the_project_records_ended_sessions(settings):
    assert settings.USERSESSIONS_ADAPTER == ADAPTER


# --- trusted browsers ---------------------------------------------------------------------


def sign_in_with_totp(client: Client, username: str, *, trust: bool) -> Any:
    """The web sign-in for someone with an authenticator app; the final response."""
    response = client.post(LOGIN, {"login": username, "password": PASSWORD})
    if response["Location"] != reverse("mfa_authenticate"):
        return response  # the second step was skipped
    response = client.post(
        reverse("mfa_authenticate"), {"code": code_with_time_to_spare(STAFF_TOTP_SECRET)}
    )
    assert response.status_code == 302, response.content
    if response["Location"] == reverse("mfa_trust"):
        response = client.post(reverse("mfa_trust"), {"action": "trust" if trust else ""})
    return response


def test_trusted_browsers_are_shown_and_can_all_be_forgotten(ann):
    enrol_authenticator_app(user=ann.user, secret=STAFF_TOTP_SECRET)
    laptop = browser(CHROME_WINDOWS, "198.51.100.10")
    sign_in_with_totp(laptop, "ann", trust=True)
    assert signed_in(laptop)
    page = laptop.get(SESSIONS)
    assert page.context["trusted_until"] is not None
    assert "This browser is trusted until" in page.content.decode()
    # Trusted: signing in again skips the code.
    laptop.post(reverse("account_logout"))
    cache.clear()  # the code just used may not be used again; no code is needed anyway
    skipped = laptop.post(LOGIN, {"login": "ann", "password": PASSWORD})
    assert skipped["Location"] != reverse("mfa_authenticate")
    assert signed_in(laptop)

    forgot = laptop.post("/security/sessions/trusted-browsers/forget/")

    assert forgot.status_code == 302
    assert forgot["Location"] == f"{SESSIONS}#trusted-browsers"
    assert "This browser is not trusted" in laptop.get(SESSIONS).content.decode()
    assert SecurityEvent.objects.filter(user=ann.user, kind="trusted_browser_revoked").exists()
    laptop.post(reverse("account_logout"))
    asked = laptop.post(LOGIN, {"login": "ann", "password": PASSWORD})
    assert asked["Location"] == reverse("mfa_authenticate")


def test_trusted_browsers_are_not_mentioned_without_a_second_factor(ann):
    laptop = sign_in(browser(CHROME_WINDOWS, "198.51.100.10"), "ann")
    assert "Trusted browsers" not in laptop.get(SESSIONS).content.decode()


def test_forgetting_browsers_needs_post_and_sign_in(client, ann):
    assert client.post("/security/sessions/trusted-browsers/forget/").status_code == 302
    laptop = sign_in(browser(CHROME_WINDOWS, "198.51.100.10"), "ann")
    assert laptop.get("/security/sessions/trusted-browsers/forget/").status_code == 405


# --- the security hub ---------------------------------------------------------------------


def test_the_hub_links_every_security_control(ann):
    laptop = sign_in(browser(CHROME_WINDOWS, "198.51.100.10"), "ann")
    response = laptop.get(HUB)
    assert response.status_code == 200
    html = response.content.decode()
    for name in ("account_change_password", "account_email", "mfa_index", "security:sessions"):
        assert f'href="{reverse(name)}"' in html, name
    assert "Add a second factor" in html  # Ann has none yet


def test_the_hub_does_not_nag_about_a_second_factor_someone_has(ann):
    enrol_authenticator_app(user=ann.user, secret=STAFF_TOTP_SECRET)
    client = Client()
    client.force_login(ann.user)
    assert "Add a second factor" not in client.get(HUB).content.decode()


def _activity_page(request: HttpRequest) -> HttpResponse:
    return HttpResponse("activity")


def _urlconf(*, activity: bool) -> ModuleType:
    """The project's URLs with the security activity page added or taken away."""
    patterns = [
        p
        for p in import_module(django_settings.ROOT_URLCONF).urlpatterns
        if getattr(p, "namespace", None) != "security_activity"
    ]
    if activity:
        patterns.insert(
            0,
            path(
                "security/activity/",
                include(([path("", _activity_page, name="index")], "security_activity")),
            ),
        )
    module = ModuleType(f"urls_{'with' if activity else 'without'}_activity")
    module.urlpatterns = patterns  # type: ignore[attr-defined]
    return module


def test_the_hub_links_security_activity_when_it_exists(ann, settings):
    try:
        activity = reverse("security_activity:index")
    except NoReverseMatch:
        settings.ROOT_URLCONF = _urlconf(activity=True)
        activity = reverse("security_activity:index")
    laptop = sign_in(browser(CHROME_WINDOWS, "198.51.100.10"), "ann")
    html = laptop.get(HUB).content.decode()
    assert f'href="{activity}"' in html
    assert "Security activity" in html


def test_the_hub_works_without_the_activity_page(ann, settings):
    settings.ROOT_URLCONF = _urlconf(activity=False)
    laptop = sign_in(browser(CHROME_WINDOWS, "198.51.100.10"), "ann")
    response = laptop.get(HUB)
    assert response.status_code == 200
    assert "Security activity" not in response.content.decode()


@pytest.mark.parametrize("url", [HUB, SESSIONS])
def test_security_pages_need_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_ending_needs_sign_in(client, ann):
    phone = sign_in(browser(SAFARI_IPHONE, "198.51.100.20"), "ann")
    target = session_of(phone)
    response = client.post(f"/security/sessions/{target.pk}/end/")
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)
    assert signed_in(phone)


# --- re-authentication before security changes -------------------------------------------
#
# allauth records each authentication in the session; a change that needs a recent
# re-authentication looks for one made less than ACCOUNT_REAUTHENTICATION_TIMEOUT
# (300 s) ago. Signing in is not a re-authentication: the first change after sign-in
# asks for the password too.


def reauthenticate(client: Client, password: str = PASSWORD) -> None:
    response = client.post(REAUTHENTICATE, {"password": password})
    assert response.status_code == 302, response.content


def age_authentications(client: Client, seconds: float) -> None:
    """Move every authentication this session recorded ``seconds`` into the past."""
    session = client.session
    records = session["account_authentication_methods"]
    for record in records:
        record["at"] = float(record["at"]) - seconds
    session["account_authentication_methods"] = records
    session.save()


def asks_to_reauthenticate(response: Any) -> bool:
    return response.status_code == 302 and response["Location"].startswith(REAUTHENTICATE)


def test_the_timeout_is_five_minutes(settings):
    assert settings.ACCOUNT_REAUTHENTICATION_TIMEOUT == 300


def lands_on_reauthentication(client: Client, url: str) -> bool | int:
    """Follow up to three redirects from ``url`` (a page may forward to the one that
    does the change): True if one of them asks to re-authenticate, else the final status."""
    response = client.get(url)
    for _hop in range(3):
        if asks_to_reauthenticate(response):
            return True
        if response.status_code != 302:
            break
        response = client.get(response["Location"])
    return response.status_code


@pytest.mark.parametrize(
    ("url_name", "has_totp"),
    [
        ("mfa_activate_totp", False),
        ("mfa_deactivate_totp", True),
        ("mfa_generate_recovery_codes", True),
        ("mfa_add_webauthn", False),
        ("second_factor:add_text_message", False),
    ],
)
def test_second_factor_changes_need_a_reauthentication_in_the_last_five_minutes(
    ann, url_name, has_totp
):
    try:
        url = reverse(url_name)
    except NoReverseMatch:
        pytest.skip(f"{url_name} is not installed")
    if has_totp:
        enrol_authenticator_app(user=ann.user, secret=STAFF_TOTP_SECRET)
        client = Client()
        client.force_login(ann.user)
    else:
        client = sign_in(browser(CHROME_WINDOWS, "198.51.100.10"), "ann")

    assert lands_on_reauthentication(client, url) is True  # signing in is not enough
    reauthenticate(client)
    assert lands_on_reauthentication(client, url) == 200
    age_authentications(client, 299)
    assert lands_on_reauthentication(client, url) == 200
    age_authentications(client, 2)  # now 301 s ago
    assert lands_on_reauthentication(client, url) is True


def _removal_url(totp: Authenticator) -> str:
    """Where removing the authenticator app happens (Dropline's page if installed)."""
    try:
        return reverse("second_factor:remove", args=[totp.type, totp.pk])
    except NoReverseMatch:
        return reverse("mfa_deactivate_totp")


def test_a_wrong_password_does_not_reauthenticate(ann):
    client = sign_in(browser(CHROME_WINDOWS, "198.51.100.10"), "ann")
    response = client.post(REAUTHENTICATE, {"password": "not-my-password-at-all"})
    assert response.status_code == 200
    assert asks_to_reauthenticate(client.get(reverse("mfa_activate_totp")))


def test_removing_a_second_factor_after_five_minutes_asks_first_and_keeps_it(ann):
    enrol_authenticator_app(user=ann.user, secret=STAFF_TOTP_SECRET)
    client = Client()
    client.force_login(ann.user)
    reauthenticate(client)
    age_authentications(client, 301)
    totp = Authenticator.objects.get(user=ann.user, type=Authenticator.Type.TOTP)
    assert asks_to_reauthenticate(client.post(_removal_url(totp)))
    assert Authenticator.objects.filter(user=ann.user, type=Authenticator.Type.TOTP).exists()


def test_changing_the_password_asks_for_the_current_one_every_time(ann):
    """allauth's password change does not look at the 5-minute window: it re-authenticates
    on the spot by requiring the current password in the same form."""
    client = sign_in(browser(CHROME_WINDOWS, "198.51.100.10"), "ann")
    age_authentications(client, 3600)
    new = "a-completely-new-passphrase-42"
    wrong = client.post(
        reverse("account_change_password"),
        {"oldpassword": "not-the-password", "password1": new, "password2": new},
    )
    assert wrong.status_code == 200
    assert "oldpassword" in wrong.context["form"].errors
    ann.user.refresh_from_db()
    assert ann.user.check_password(PASSWORD)

    right = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": new, "password2": new},
    )
    assert right.status_code == 302
    ann.user.refresh_from_db()
    assert ann.user.check_password(new)


NEW_EMAIL = "ann.new@example.com"


def _add_sign_in_email(client: Client) -> Any:
    """Ask to add a sign-in address; allauth sends it a code before it is added."""
    return client.post(reverse("account_email"), {"action_add": "", "email": NEW_EMAIL})


def _mailed_new_address() -> bool:
    return any(NEW_EMAIL in message.to for message in mail.outbox)


def test_changing_the_sign_in_email_needs_a_recent_reauthentication(ann):
    client = sign_in(browser(CHROME_WINDOWS, "198.51.100.10"), "ann")
    reauthenticate(client)
    age_authentications(client, 301)
    assert asks_to_reauthenticate(_add_sign_in_email(client))
    assert not _mailed_new_address()


def test_with_reauthentication_required_email_changes_ask_and_then_go_through(ann, settings):
    """What ``ACCOUNT_REAUTHENTICATION_REQUIRED = True`` in the settings does."""
    settings.ACCOUNT_REAUTHENTICATION_REQUIRED = True
    client = sign_in(browser(CHROME_WINDOWS, "198.51.100.10"), "ann")
    assert asks_to_reauthenticate(_add_sign_in_email(client))
    assert not _mailed_new_address()
    reauthenticate(client)
    added = _add_sign_in_email(client)
    assert added.status_code == 302
    assert added["Location"] == reverse("account_email_verification_sent")
    assert _mailed_new_address()
    age_authentications(client, 301)
    EmailAddress.objects.create(user=ann.user, email="ann.old@example.com", verified=True)
    response = client.post(
        reverse("account_email"), {"action_remove": "", "email": "ann.old@example.com"}
    )
    assert asks_to_reauthenticate(response)
    assert EmailAddress.objects.filter(email="ann.old@example.com").exists()


# Notification contacts (email addresses and mobile numbers alerts and codes go to)
# are Dropline's own pages; changing them needs a recent re-authentication.


@pytest.fixture
def ann_with_contacts(ann: Customer) -> tuple[Customer, ContactPoint, ContactPoint]:
    first = add_verified_contact(
        user=ann.user, kind=ContactKind.PHONE, address="+13195550142", primary=True
    )
    second = add_verified_contact(
        user=ann.user, kind=ContactKind.PHONE, address="+13195550143", primary=False
    )
    return ann, first, second


@pytest.mark.parametrize(
    ("kind", "address"), [("phone", "(319) 555-0199"), ("email", "alerts@example.com")]
)
def test_adding_a_contact_needs_a_recent_reauthentication(ann, kind, address):
    client = sign_in(browser(CHROME_WINDOWS, "198.51.100.10"), "ann")
    before = set(ContactPoint.objects.filter(user=ann.user).values_list("address", flat=True))
    response = client.post(reverse("notifications:add_contact"), {"kind": kind, "address": address})
    assert asks_to_reauthenticate(response)
    after = set(ContactPoint.objects.filter(user=ann.user).values_list("address", flat=True))
    assert after == before


def test_making_a_contact_primary_needs_a_recent_reauthentication(ann_with_contacts):
    _ann, _first, second = ann_with_contacts
    client = sign_in(browser(CHROME_WINDOWS, "198.51.100.10"), "ann")
    reauthenticate(client)
    age_authentications(client, 301)
    response = client.post(reverse("notifications:make_primary", args=[second.pk]))
    assert asks_to_reauthenticate(response)
    second.refresh_from_db()
    assert not second.is_primary


def test_removing_a_contact_needs_a_recent_reauthentication(ann_with_contacts):
    _ann, _first, second = ann_with_contacts
    client = sign_in(browser(CHROME_WINDOWS, "198.51.100.10"), "ann")
    response = client.post(reverse("notifications:remove_contact", args=[second.pk]))
    assert asks_to_reauthenticate(response)
    assert ContactPoint.objects.filter(pk=second.pk).exists()


def test_after_reauthenticating_contact_changes_go_through(ann_with_contacts):
    """Holds before and after the decorator is applied: a fresh re-authentication passes."""
    _ann, first, second = ann_with_contacts
    client = sign_in(browser(CHROME_WINDOWS, "198.51.100.10"), "ann")
    reauthenticate(client)
    assert client.post(reverse("notifications:make_primary", args=[second.pk])).status_code == 302
    second.refresh_from_db()
    assert second.is_primary
    assert client.post(reverse("notifications:remove_contact", args=[first.pk])).status_code == 302
    assert not ContactPoint.objects.filter(pk=first.pk).exists()


def test_a_suspended_contact_change_resumes_after_reauthenticating(ann_with_contacts):
    """allauth keeps the POST that asked, and replays it once the password is given."""
    _ann, _first, second = ann_with_contacts
    client = sign_in(browser(CHROME_WINDOWS, "198.51.100.10"), "ann")
    url = reverse("notifications:remove_contact", args=[second.pk])
    response = client.post(url)
    assert asks_to_reauthenticate(response)
    resumed = client.post(response["Location"], {"password": PASSWORD})
    assert resumed.status_code == 302
    assert not ContactPoint.objects.filter(pk=second.pk).exists()
