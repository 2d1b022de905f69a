"""After the second factor, "Trust this browser" names a round period: 30 days."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.support.factories import make_user
from tests.support.factors import (
    URLCONF,
    enable_sms,
    latest_code,
    sign_in_with_password,
)

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.urls(URLCONF),
    pytest.mark.usefixtures("configured"),
]


def trust_page(client, *, language: str = "en") -> str:
    user = make_user(username="sol")
    enable_sms(user)
    if language != "en":
        client.post(reverse("set_language"), {"language": language, "next": "/"})
    sign_in_with_password(client, user)
    response = client.post(reverse("second_factor:sms_authenticate"), {"code": latest_code()})
    assert response.url == reverse("mfa_trust")
    return client.get(reverse("mfa_trust")).content.decode()


def test_the_trust_period_is_a_round_number_of_days(client):
    page = trust_page(client)
    assert "Trust this browser for 30 days" in page
    assert "for 30 days. You will still need your password." in page
    assert "week" not in page


def test_the_trust_period_in_spanish(client):
    page = trust_page(client, language="es")
    assert "Confiar en este navegador durante 30 días" in page
    assert "semana" not in page
