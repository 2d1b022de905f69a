"""Each next step as the customer meets it on the answer page, from real records: an
outage's ETA and "tell me when it's fixed", a restart of the right device, a cable to
check, a visit with its reason beside the support contact."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from dropline.network import restarting
from dropline.network.devices import simulator
from tests.support.equipment import NOON, at, equipped_customer, later, words
from tests.support.outages import declare_outage
from tests.support.speed_tests import a_test

pytestmark = pytest.mark.django_db


@pytest.fixture
def household(client):
    with at(NOON):
        equipped = equipped_customer("homeowner", kinds=("gateway", "receiver"))
    client.force_login(equipped.customer.user)
    return equipped


def test_an_outage_shows_its_eta_and_offers_to_tell_when_it_is_fixed(client, household):
    with at(NOON):
        outage = declare_outage(
            areas=[household.customer.account.service_address.service_area],
            eta=NOON + dt.timedelta(hours=3),
            title_en="Fiber cut on Main St",
        )
        response = client.post("/connection-check/")
    said = words(response)
    assert "There is an outage in your area" in said
    assert "Fiber cut on Main St" in said
    assert "Expected back by" in said
    assert "Restart it" not in said
    assert f'action="{reverse("outages:watch", args=[outage.pk])}"' in response.content.decode()
    assert "Tell me when it's fixed" in said
    assert 'href="/outages/"' in response.content.decode()


def test_asking_to_be_told_once_is_enough(client, household):
    with at(NOON):
        outage = declare_outage(areas=[household.customer.account.service_address.service_area])
        client.post(reverse("outages:watch", args=[outage.pk]))
        said = words(client.post("/connection-check/"))
    assert "We will tell you when it is fixed." in said
    assert "Tell me when it's fixed" not in said


def test_the_same_in_spanish(client, household):
    with at(NOON):
        declare_outage(
            areas=[household.customer.account.service_address.service_area],
            eta=NOON + dt.timedelta(hours=3),
        )
        said = words(client.post("/connection-check/", HTTP_ACCEPT_LANGUAGE="es"))
    assert "Hay un corte de servicio en su zona" in said
    assert "Corte de internet" in said
    assert "No es necesario reiniciar su equipo." in said


def test_a_slow_test_offers_the_gateways_restart(client, household):
    with at(later(-3600)):
        a_test(household.customer, download_kbps=20_000)
    with at(NOON):
        response = client.post("/connection-check/")
    said = words(response)
    assert "Your last speed test was slow" in said
    assert "Restart your gateway, then run the speed test again." in said
    restart = reverse("equipment:restart", args=[household.gateway.pk])
    assert f'href="{restart}"' in response.content.decode()
    assert "Restart it" in said
    # The link leads to the restart's confirmation, which says what will happen.
    with at(NOON):
        confirmation = words(client.get(restart))
    assert "Your internet will be off for about 2 minutes." in confirmation


def test_an_offline_receiver_says_check_its_cable_and_check_again(client, household):
    with at(NOON):
        simulator.set_connected(device_id=household.receiver.device_id, connected=False)
        said = words(client.post("/connection-check/"))
    assert "Your TV receiver is offline" in said
    assert "Once you have checked, run the check again." in said
    assert "Check again" in said


def test_restarts_that_did_not_help_book_a_visit_with_the_reason_and_our_phone(
    client, household, settings
):
    settings.DROPLINE_SUPPORT_PHONE = "+13195550100"
    user = household.customer.user
    with at(NOON):
        restarting.restart(equipment=household.gateway, user=user)
    with at(later(600)):
        client.post("/connection-check/")
        restarting.restart(equipment=household.gateway, user=user)
    with at(later(1200)):
        response = client.post("/connection-check/")
    said = words(response)
    assert "Restarting is not fixing it" in said
    assert "Book a technician visit" in said
    assert "Trouble continues after several restarts in a day" in said
    assert "(319) 555-0100" in said


def test_a_restart_running_says_wait_and_never_offers_another(client, household):
    with at(NOON):
        restarting.restart(equipment=household.gateway, user=household.customer.user)
    with at(later(20)):
        said = words(client.post("/connection-check/"))
    assert "Your gateway is restarting" in said
    assert "Restart it" not in said


def test_a_visit_links_to_the_booking_page_with_the_reason_filled_in(client, household):
    user = household.customer.user
    with at(NOON):
        restarting.restart(equipment=household.gateway, user=user)
    with at(later(600)):
        restarting.restart(equipment=household.gateway, user=user)
    with at(later(1200)):
        response = client.post("/connection-check/")
    html = response.content.decode()
    assert (
        'href="/appointments/book/?reason=repair&amp;details=Trouble+continues+after+several+'
        'restarts+in+a+day"' in html
    )
    assert "Book a visit" in words(response)
    assert 'href="/support/troubleshoot/"' in html
