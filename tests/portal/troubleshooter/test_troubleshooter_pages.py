"""The troubleshooter's pages: three problems as buttons (a POST with its CSRF token),
then one step at a time with what its check found, the buttons for the answers and the
steps taken above it; a restart's progress polled like the equipment page's, with a
"check again" link; the end's link (booking with the reason filled in, an article);
in both languages; limited per account; another customer's run is a 404."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client

from dropline.core import clock
from dropline.helpdesk.models import TroubleshootingRun
from dropline.helpdesk.troubleshooting import running
from dropline.network.devices import simulator
from dropline.network.models import DeviceAction
from dropline.portal.common import SESSION_ACCOUNT_KEY
from tests.support.equipment import NOON, at, equipped_customer, later, words
from tests.support.outages import declare_outage
from tests.support.speed_tests import a_test

pytestmark = pytest.mark.django_db


@pytest.fixture
def household(client):
    with at(NOON):
        equipped = equipped_customer("troubled", kinds=("gateway", "receiver"))
    client.force_login(equipped.customer.user)
    return equipped


def begin(client, problem="internet_down") -> str:
    response = client.post("/support/troubleshoot/", {"problem": problem})
    assert response.status_code == 302
    return response["Location"]


def test_the_three_problems_are_buttons_of_one_form_with_a_csrf_token(client, household):
    response = client.get("/support/troubleshoot/")
    html = response.content.decode()
    assert response.status_code == 200
    form = re.search(r'<form method="post" class="troubleshoot-problems">(.*?)</form>', html, re.S)
    assert form is not None
    assert 'name="csrfmiddlewaretoken"' in form.group(1)
    assert re.findall(r'name="problem" value="(\w+)"', form.group(1)) == [
        "internet_down",
        "internet_slow",
        "tv_no_picture",
    ]
    said = words(response)
    for problem in ("My internet is down", "My internet is slow", "My TV has no picture"):
        assert problem in said


def test_starting_shows_the_checks_and_offers_to_restart_the_gateway(client, household):
    with at(NOON):
        page = client.get(begin(client))
    said = words(page)
    assert page.status_code == 200
    assert "Restart your gateway" in said
    assert "Your account is in good standing." in said
    assert "There is no outage or maintenance in your area right now." in said
    assert "Your gateway is online." in said
    assert "Your internet will be off for about 2 minutes." in said
    html = page.content.decode()
    assert 'name="answer" value="restart"' in html
    assert 'name="answer" value="skip"' in html
    assert "What we have tried" not in said


def test_the_restart_runs_for_real_and_its_progress_is_polled_then_asked(client, household):
    with at(NOON):
        url = begin(client)
        assert client.post(url, {"step": "restart", "answer": "restart"}).status_code == 302
        waiting = client.get(url)
    action = DeviceAction.objects.get(equipment=household.gateway)
    html = waiting.content.decode()
    said = words(waiting)
    assert "Your gateway is restarting" in said
    assert "Restarted your gateway from here." in said  # the step taken, listed above
    status_url = f"/equipment/{household.gateway.pk}/restart/{action.pk}/status/"
    assert f'data-status-url="{status_url}"' in html
    assert "dropline/restart_progress.js" in html
    assert re.search(rf'<a [^>]*href="{url}" data-check-again>Check again</a>', html)
    assert 'name="answer"' not in html  # nothing to press while it restarts
    with at(later(90)):
        assert client.get(status_url).json()["finished"] is True
        asked = client.get(url)
    said = words(asked)
    assert "Is it working now?" in said
    assert "Your gateway restarted and is back online." in said
    assert "restart_progress.js" not in asked.content.decode()


def test_still_not_working_ends_with_the_booking_link_filled_in(client, household):
    with at(NOON):
        url = begin(client)
        client.post(url, {"step": "restart", "answer": "restart"})
    with at(later(90)):
        client.post(url, {"step": "restart", "answer": "no"})
        page = client.get(url)
    run = TroubleshootingRun.objects.get()
    said = words(page)
    assert "Book a technician visit" in said
    assert "A restart did not fix it." in said
    link = re.search(r'href="(/appointments/book/\?[^"]+)"', page.content.decode())
    assert link is not None
    query = parse_qs(urlsplit(link.group(1).replace("&amp;", "&")).query)
    assert query["reason"] == ["repair"]
    assert query["run"] == [str(run.pk)]
    assert query["details"] == [
        "My internet is down. Restarted your gateway from here. After the restart: still not "
        "working. A restart did not fix it."
    ]
    assert "Start again" in said


def test_the_cable_checklist_is_ticked_and_recorded(client, household):
    with at(NOON):
        simulator.set_connected(device_id=household.gateway.device_id, connected=False)
        url = begin(client)
        page = client.get(url)
        html = page.content.decode()
        assert "Check the power and cables" in words(page)
        assert "We can't reach your gateway." in words(page)
        assert re.search(r"<legend>What you checked</legend>", html)
        assert '<label for="check-wall_cable">' in html
        client.post(url, {"step": "check_cables", "answer": "yes", "ticked": ["power", "splitter"]})
        done = client.get(url)
    assert "Glad it works again" in words(done)
    assert "Checked the power and cables" in words(done)
    assert TroubleshootingRun.objects.get().outcome == "fixed"


def test_slow_internet_sends_to_the_speed_test_and_back(client, household):
    with at(NOON):
        url = begin(client, "internet_slow")
        page = client.get(url)
    run = TroubleshootingRun.objects.get()
    assert f'href="/speed-test/?run={run.pk}"' in page.content.decode()
    with at(NOON):
        speed = client.get(f"/speed-test/?run={run.pk}")
    assert f'href="/support/troubleshoot/{run.pk}/"' in speed.content.decode()
    assert "Back to the troubleshooter" in words(speed)
    with at(later(60)):
        a_test(household.customer, download_kbps=40_000, connection="wifi")
        result = client.get(url)
    said = words(result)
    assert "Your speed test measured 40 Mbps down; your plan is 300 Mbps." in said
    assert "You tested over Wi-Fi" in said
    with at(later(60)):
        client.post(url, {"step": "speed_test", "answer": "article"})
        end = client.get(url)
    assert 'href="/support/articles/wifi-tips/"' in end.content.decode()


def test_the_speed_test_leads_back_only_to_an_open_run_of_this_account(client, household):
    other = equipped_customer("elsewhere", kinds=("gateway",))
    with at(NOON):
        theirs = running.start(
            account=other.customer.account, person=other.customer.user, problem="internet_slow"
        )
    page = client.get(f"/speed-test/?run={theirs.pk}")
    assert "Back to the troubleshooter" not in words(page)
    assert client.get("/speed-test/?run=nope").status_code == 200


def test_pages_and_answers_in_spanish(client, household):
    with at(NOON):
        index = words(client.get("/support/troubleshoot/", HTTP_ACCEPT_LANGUAGE="es"))
        url = begin(client)
        page = words(client.get(url, HTTP_ACCEPT_LANGUAGE="es"))
    assert "Mi internet no funciona" in index
    assert "Reiniciar su puerta de enlace (gateway)" in page
    assert "Su cuenta está al día." in page
    assert "Restart your gateway" not in page


def test_a_step_that_moved_on_says_so_and_writes_nothing(client, household):
    with at(NOON):
        url = begin(client)
        response = client.post(url, {"step": "check_cables", "answer": "yes"})
    assert response.status_code == 409
    assert "That step has moved on." in words(response)
    assert TroubleshootingRun.objects.get().steps == []


def test_an_unknown_problem_is_400_and_starts_nothing(client, household):
    response = client.post("/support/troubleshoot/", {"problem": "phone"})
    assert response.status_code == 400
    assert "Choose what is wrong." in words(response)
    assert not TroubleshootingRun.objects.exists()


def test_starts_are_limited_per_account_with_a_429(client, household):
    with clock.frozen(NOON):
        for _ in range(running.STARTS_PER_ACCOUNT.count):
            begin(client, "tv_no_picture")
        refused = client.post("/support/troubleshoot/", {"problem": "tv_no_picture"})
    assert refused.status_code == 429
    assert "You have started several times in the last hour." in words(refused)
    assert TroubleshootingRun.objects.count() == running.STARTS_PER_ACCOUNT.count


def test_without_the_csrf_token_nothing_starts_or_restarts(household):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(household.customer.user)
    assert browser.post("/support/troubleshoot/", {"problem": "internet_down"}).status_code == 403
    assert not TroubleshootingRun.objects.exists()
    with at(NOON):
        token = browser.get("/support/troubleshoot/").context["csrf_token"]
        started = browser.post(
            "/support/troubleshoot/", {"problem": "internet_down", "csrfmiddlewaretoken": token}
        )
        url = started["Location"]
        refused = browser.post(url, {"step": "restart", "answer": "restart"})
    assert refused.status_code == 403
    assert not DeviceAction.objects.exists()


def test_another_customers_run_is_404_and_untouched(client, household):
    other = equipped_customer("neighbour", kinds=("gateway",))
    with at(NOON):
        theirs = running.start(
            account=other.customer.account, person=other.customer.user, problem="internet_down"
        )
        url = f"/support/troubleshoot/{theirs.pk}/"
        assert client.get(url).status_code == 404
        assert client.post(url, {"step": "restart", "answer": "restart"}).status_code == 404
        # Their account in this person's session changes nothing.
        session = client.session
        session[SESSION_ACCOUNT_KEY] = other.customer.account.pk
        session.save()
        assert client.get(url).status_code == 404
    theirs.refresh_from_db()
    assert theirs.steps == []
    assert not DeviceAction.objects.exists()


def test_signed_out_visitors_are_sent_to_sign_in():
    visitor = Client()
    for url in ("/support/troubleshoot/", "/support/troubleshoot/1/"):
        response = visitor.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_the_equipment_page_and_the_connection_check_lead_here(client, household):
    with at(NOON):
        equipment = client.get("/equipment/").content.decode()
        check = client.post("/connection-check/").content.decode()
    assert 'href="/support/troubleshoot/"' in equipment
    assert 'href="/support/troubleshoot/"' in check


def test_a_restart_that_did_not_work_on_the_equipment_page_leads_here(client, household):
    with at(NOON):
        simulator.set_fault(device_id=household.gateway.device_id, fault="9002 Internal error")
        confirmed = client.post(f"/equipment/{household.gateway.pk}/restart/")
        progress = client.get(confirmed["Location"])
    assert "The restart did not work" in words(progress)
    assert 'href="/support/troubleshoot/"' in progress.content.decode()


def test_a_run_that_ends_in_an_outage_offers_to_tell_when_it_is_fixed(client, household):
    area = household.customer.account.service_address.service_area
    with at(NOON):
        outage = declare_outage(areas=[area])
        page = client.get(begin(client))
    html = page.content.decode()
    assert "There is an outage in your area" in words(page)
    assert f'action="/outages/{outage.pk}/watch/"' in html
    with at(NOON):
        client.post(f"/outages/{outage.pk}/watch/")
        watched = client.get(page.wsgi_request.path)
    assert "We will tell you when it is fixed." in words(watched)
    assert f'action="/outages/{outage.pk}/watch/"' not in watched.content.decode()
