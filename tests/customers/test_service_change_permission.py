"""Authorized users may view; only a holder may change services, unless the holder
allowed it. The holder's choice is audited and nothing else about the person changes."""

from __future__ import annotations

import pytest

from dropline.core.models import AuditEvent
from dropline.customers import invitations
from dropline.customers.models import AccountMember, MemberRole
from dropline.customers.onboarding import add_member
from dropline.customers.permissions import can_change_services, can_manage_people
from tests.support.factories import make_customer, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def household() -> tuple[AccountMember, AccountMember]:
    ann = make_customer(username="ann")
    holder = AccountMember.objects.get(user=ann.user)
    sam = add_member(
        account=ann.account, user=make_user(username="sam"), role=MemberRole.AUTHORIZED
    )
    return holder, sam


def test_the_holder_may_change_services_and_an_authorized_user_may_not_by_default(household):
    holder, sam = household
    assert can_change_services(holder)
    assert not can_change_services(sam)
    assert not can_change_services(None)


def test_the_holder_allows_an_authorized_user_and_it_is_audited(household):
    holder, sam = household

    changed = invitations.allow_service_changes(by=holder, member=sam, allowed=True)

    assert changed.may_change_services
    sam.refresh_from_db()
    assert can_change_services(sam)
    # Changing services is all it allows: the people on the account stay the holder's.
    assert not can_manage_people(sam)
    event = AuditEvent.objects.get(action="member.service_changes_allowed")
    assert event.actor == holder.user
    assert event.account_number == holder.account.number
    assert event.data == {"username": "sam"}


def test_the_holder_takes_it_back(household):
    holder, sam = household
    invitations.allow_service_changes(by=holder, member=sam, allowed=True)

    invitations.allow_service_changes(by=holder, member=sam, allowed=False)

    sam.refresh_from_db()
    assert not can_change_services(sam)
    assert AuditEvent.objects.filter(action="member.service_changes_disallowed").count() == 1


def test_asking_for_what_is_already_so_records_nothing(household):
    holder, sam = household
    invitations.allow_service_changes(by=holder, member=sam, allowed=False)
    assert not AuditEvent.objects.filter(action__startswith="member.service_changes").exists()


def test_an_authorized_user_cannot_allow_themselves(household):
    _holder, sam = household
    with pytest.raises(invitations.NotAllowedError):
        invitations.allow_service_changes(by=sam, member=sam, allowed=True)
    sam.refresh_from_db()
    assert not sam.may_change_services
    assert not AuditEvent.objects.filter(action__startswith="member.service_changes").exists()


def test_a_holder_cannot_allow_someone_on_another_account(household):
    holder, _sam = household
    ned = make_customer(username="ned")
    helper = add_member(
        account=ned.account, user=make_user(username="ned-helper"), role=MemberRole.AUTHORIZED
    )
    with pytest.raises(invitations.NotAllowedError):
        invitations.allow_service_changes(by=holder, member=helper, allowed=True)
    helper.refresh_from_db()
    assert not helper.may_change_services


def test_the_holder_is_not_a_member_to_allow(household):
    holder, _sam = household
    with pytest.raises(invitations.InvitationError):
        invitations.allow_service_changes(by=holder, member=holder, allowed=False)
    assert can_change_services(holder)
