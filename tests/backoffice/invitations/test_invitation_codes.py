"""Staff make a one-time invitation code for an account: shown once, stored hashed,
audited, and only for staff allowed to change customer accounts."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import URLResolver, include, path, reverse
from django.utils import formats
from django.utils.timezone import localtime

from dropline import urls as root_urls
from dropline.accounts import roles
from dropline.backoffice import urls as backoffice_urls
from dropline.backoffice.invitations import views as invitation_views
from dropline.core.models import AuditEvent
from dropline.customers import invitations
from dropline.customers.models import AccountMember, CustomerAccount, InvitationCode, MemberRole
from dropline.identity import claiming
from tests.support.claiming import PASSWORD, unclaimed_account
from tests.support.factories import make_customer, make_user

# The routes as backoffice/urls.py gives them; until it does, this module serves as the
# URL configuration with them added.
_ROUTES = [
    path(
        "customers/<str:number>/invitation-codes/",
        invitation_views.invitation_codes,
        name="invitation_codes",
    ),
    path(
        "customers/<str:number>/invitation-codes/<int:invitation_id>/revoke/",
        invitation_views.revoke_invitation_code,
        name="revoke_invitation_code",
    ),
]
_ROUTED = any(getattr(p, "name", None) == "invitation_codes" for p in backoffice_urls.urlpatterns)


def _with_routes(pattern: object) -> object:
    if _ROUTED or not isinstance(pattern, URLResolver) or str(pattern.pattern) != "backoffice/":
        return pattern
    return path("backoffice/", include(([*backoffice_urls.urlpatterns, *_ROUTES], "backoffice")))


urlpatterns = [_with_routes(pattern) for pattern in root_urls.urlpatterns]

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

CODE = re.compile(r"DRPL-[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}")


def codes_url(account: CustomerAccount) -> str:
    return reverse("backoffice:invitation_codes", args=[account.number])


def revoke_url(account: CustomerAccount, invitation: InvitationCode) -> str:
    return reverse("backoffice:revoke_invitation_code", args=[account.number, invitation.pk])


def staff(username: str, role: str | None) -> Client:
    user = make_user(username=username, is_staff=True)
    if role is not None:
        user.groups.add(Group.objects.get(name=role))
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def care() -> Client:
    return staff("care1", roles.CUSTOMER_CARE)


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", 302),
        ("customer", 403),
        ("staff without a role", 403),
        ("field dispatch", 403),  # can read accounts, cannot change them
        ("customer care", 200),
    ],
)
def test_only_staff_who_may_change_accounts_can_make_codes(who, expected):
    account = unclaimed_account()
    if who == "anonymous":
        client = Client()
    elif who == "customer":
        client = Client()
        client.force_login(make_customer(username="someone").user)
    elif who == "staff without a role":
        client = staff("newhire", None)
    elif who == "field dispatch":
        client = staff("tech", roles.FIELD_DISPATCH)
    else:
        client = staff("care1", roles.CUSTOMER_CARE)
    assert client.get(codes_url(account)).status_code == expected
    response = client.post(codes_url(account), {"role": MemberRole.HOLDER})
    assert response.status_code == expected
    if expected != 200:
        assert not InvitationCode.objects.exists()
        assert not CODE.search(response.content.decode())


def test_the_code_is_shown_once_with_its_expiry_and_only_its_hash_is_kept(care):
    account = unclaimed_account()
    response = care.post(codes_url(account), {"role": MemberRole.HOLDER})
    assert response.status_code == 200
    assert "no-store" in response.headers["Cache-Control"]
    html = response.content.decode()
    shown = CODE.search(html)
    assert shown is not None
    code = shown.group(0)
    invitation = InvitationCode.objects.get()
    assert invitation.code_hash == invitations.hash_code(code)
    assert invitation.role == MemberRole.HOLDER
    assert invitation.created_by is not None
    assert invitation.created_by.username == "care1"
    assert formats.date_format(localtime(invitation.expires_at), "DATETIME_FORMAT") in html
    # Never again: the page lists the code but cannot show it.
    later = care.get(codes_url(account)).content.decode()
    assert code not in later
    assert not CODE.search(later)
    assert revoke_url(account, invitation) in later


def test_making_a_code_is_audited_without_the_code(care):
    account = unclaimed_account()
    response = care.post(codes_url(account), {"role": MemberRole.HOLDER}, REMOTE_ADDR="203.0.113.9")
    shown = CODE.search(response.content.decode())
    assert shown is not None
    event = AuditEvent.objects.get(action="invitation_code.created")
    assert event.account_number == account.number
    assert event.actor is not None
    assert event.actor.username == "care1"
    assert event.ip_address == "203.0.113.9"
    assert event.data["role"] == MemberRole.HOLDER
    assert shown.group(0) not in str(event.data)
    assert invitations.normalize_code(shown.group(0)) not in str(event.data)


def test_the_customer_claims_the_account_with_the_printed_code(care):
    account = unclaimed_account()
    shown = CODE.search(care.post(codes_url(account), {"role": MemberRole.HOLDER}).content.decode())
    assert shown is not None
    member = claiming.redeem_invitation(
        code=shown.group(0),
        username="maria.r",
        email="maria@example.com",
        password=PASSWORD,
        request_ip=None,
    )
    assert AccountMember.objects.get(user=member.user).role == MemberRole.HOLDER


def test_no_holder_code_once_the_account_has_a_holder(care):
    held = make_customer(username="maria", name="Maria Rivera")
    page = care.get(codes_url(held.account)).content.decode()
    # Only what the account allows is offered: no "Account holder", no lone radio button.
    assert 'value="holder"' not in page
    assert "Account holder" not in page
    assert re.search(r'type="hidden" name="role" value="authorized"', page)
    assert 'type="radio"' not in page
    response = care.post(codes_url(held.account), {"role": MemberRole.HOLDER})
    assert response.status_code == 200
    assert 'id="role-error"' in response.content.decode()
    assert not InvitationCode.objects.exists()
    response = care.post(codes_url(held.account), {"role": MemberRole.AUTHORIZED})
    assert CODE.search(response.content.decode())
    assert InvitationCode.objects.get().role == MemberRole.AUTHORIZED


def test_staff_revoke_a_code(care):
    account = unclaimed_account()
    issued = invitations.issue_printed_code(account=account, created_by=None)
    response = care.post(revoke_url(account, issued.invitation))
    assert response.status_code == 302
    issued.invitation.refresh_from_db()
    assert issued.invitation.revoked_at is not None
    assert AuditEvent.objects.filter(action="invitation_code.revoked").exists()
    with pytest.raises(claiming.InvitationCodeError):
        claiming.redeem_invitation(
            code=issued.code,
            username="maria.r",
            email="maria@example.com",
            password=PASSWORD,
            request_ip=None,
        )


def test_another_accounts_code_or_an_unknown_account_answers_404(care):
    account = unclaimed_account()
    other = unclaimed_account(name="Ana Lopez")
    issued = invitations.issue_printed_code(account=other, created_by=None)
    assert care.post(revoke_url(account, issued.invitation)).status_code == 404
    issued.invitation.refresh_from_db()
    assert issued.invitation.revoked_at is None
    assert (
        care.get(reverse("backoffice:invitation_codes", args=["826000009999"])).status_code == 404
    )


def test_the_forms_need_their_csrf_token():
    account = unclaimed_account()
    issued = invitations.issue_printed_code(account=account, created_by=None)
    user = make_user(username="care2", is_staff=True)
    user.groups.add(Group.objects.get(name=roles.CUSTOMER_CARE))
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    assert client.post(codes_url(account), {"role": MemberRole.AUTHORIZED}).status_code == 403
    assert client.post(revoke_url(account, issued.invitation)).status_code == 403
    assert InvitationCode.objects.count() == 1
    issued.invitation.refresh_from_db()
    assert issued.invitation.revoked_at is None
