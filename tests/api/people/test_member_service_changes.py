"""The holder lets an authorized user change plans and add-ons through the API."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from dropline.core.models import AuditEvent
from dropline.customers.models import AccountMember, MemberRole
from dropline.customers.onboarding import add_member
from tests.support.factories import Customer, make_customer, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def household() -> tuple[Customer, AccountMember]:
    ann = make_customer(username="ann")
    sam = add_member(
        account=ann.account, user=make_user(username="sam"), role=MemberRole.AUTHORIZED
    )
    return ann, sam


def _patch(client: Client, member_id: int, allowed: object) -> Any:
    return client.patch(
        f"/api/v1/people/{member_id}",
        {"may_change_services": allowed},
        content_type="application/json",
    )


def test_the_holder_allows_sam_and_the_list_says_so(client, household):
    ann, sam = household
    client.force_login(ann.user)

    response = _patch(client, sam.pk, True)

    assert response.status_code == 200
    assert response.json()["may_change_services"] is True
    people = client.get("/api/v1/people").json()["people"]
    assert [(p["username"], p["may_change_services"]) for p in people] == [
        ("ann", True),
        ("sam", True),
    ]
    assert AuditEvent.objects.filter(action="member.service_changes_allowed").count() == 1


def test_an_authorized_user_gets_403_and_nothing_changes(client, household):
    _ann, sam = household
    client.force_login(sam.user)
    assert _patch(client, sam.pk, True).status_code == 403
    sam.refresh_from_db()
    assert not sam.may_change_services


def test_the_holder_cannot_be_switched_and_another_accounts_member_is_404(client, household):
    ann, _sam = household
    client.force_login(ann.user)
    holder = AccountMember.objects.get(user=ann.user)
    assert _patch(client, holder.pk, False).status_code == 409
    ned = make_customer(username="ned")
    helper = add_member(
        account=ned.account, user=make_user(username="ned-helper"), role=MemberRole.AUTHORIZED
    )
    assert _patch(client, helper.pk, True).status_code == 404
    helper.refresh_from_db()
    assert not helper.may_change_services


def test_a_value_that_is_not_true_or_false_names_the_field(client, household):
    ann, sam = household
    client.force_login(ann.user)
    response = _patch(client, sam.pk, "perhaps")
    assert response.status_code in {400, 422}
    assert "may_change_services" in response.content.decode()
