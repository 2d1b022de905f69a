"""The holder lets an authorized user change plans and add-ons from the People page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from dropline.core.models import AuditEvent
from dropline.customers.models import AccountMember, MemberRole
from dropline.customers.onboarding import add_member
from tests.support.factories import Customer, make_customer, make_user

pytestmark = pytest.mark.django_db

PEOPLE = reverse("accounts_portal:people")


@pytest.fixture
def household() -> tuple[Customer, AccountMember]:
    ann = make_customer(username="ann")
    sam = add_member(
        account=ann.account, user=make_user(username="sam"), role=MemberRole.AUTHORIZED
    )
    return ann, sam


def _switch(member: AccountMember) -> str:
    return reverse("accounts_portal:member_service_changes", args=[member.pk])


def test_the_holder_lets_sam_change_plans_and_sees_it(client, household):
    ann, sam = household
    client.force_login(ann.user)
    page = client.get(PEOPLE).content.decode()
    assert "Let sam change plans" in page
    assert "Can see them" in page

    response = client.post(_switch(sam), {"allowed": "1"}, follow=True)

    page = response.content.decode()
    assert "sam can now change plans and add-ons." in page
    assert "Stop sam changing plans" in page
    sam.refresh_from_db()
    assert sam.may_change_services
    assert AuditEvent.objects.filter(
        action="member.service_changes_allowed", actor=ann.user
    ).exists()

    client.post(_switch(sam), {"allowed": "0"})
    sam.refresh_from_db()
    assert not sam.may_change_services


def test_an_authorized_user_sees_no_switch_and_cannot_use_it(client, household):
    _ann, sam = household
    client.force_login(sam.user)
    page = client.get(PEOPLE).content.decode()
    assert "change plans" not in page.replace("change plans and add-ons too", "")

    response = client.post(_switch(sam), {"allowed": "1"})

    assert response.status_code == 403
    sam.refresh_from_db()
    assert not sam.may_change_services


def test_another_accounts_member_is_not_found(client, household):
    ann, _sam = household
    ned = make_customer(username="ned")
    helper = add_member(
        account=ned.account, user=make_user(username="ned-helper"), role=MemberRole.AUTHORIZED
    )
    client.force_login(ann.user)

    assert client.post(_switch(helper), {"allowed": "1"}).status_code == 404
    helper.refresh_from_db()
    assert not helper.may_change_services


def test_the_switch_in_spanish(client, household):
    ann, _sam = household
    client.force_login(ann.user)
    client.post(reverse("set_language"), {"language": "es", "next": "/"})
    page = client.get(PEOPLE).content.decode()
    assert "Permitir que sam cambie planes" in page
