"""The public status page through the API: anyone may ask, the answer is the same for
everyone (so shared caches may keep it a minute), it names service areas and their
outages only, never anyone's account or who watches what, in the language asked for."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from dropline.core import clock
from dropline.network.outages import declaring, watching
from tests.support.notifications import area, make_person
from tests.support.outages import declare_outage, plan_maintenance

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 10, 18, 0, tzinfo=dt.UTC)
STATUS = "/api/v1/status"


@pytest.fixture(autouse=True)
def frozen():
    with clock.frozen(NOW):
        yield


@pytest.fixture
def town():
    ana = make_person(username="anasecret", area_code="north")
    outage = declare_outage(
        areas=[area("north")],
        title_en="Fiber cut on Main Street",
        title_es="Corte de fibra en Main Street",
        cause_en="Power cut at the hub.",
        cause_es="Corte de luz.",
        eta=NOW + dt.timedelta(hours=2),
    )
    declaring.post_update(
        outage=outage,
        status="identified",
        eta=NOW + dt.timedelta(hours=3),
        message_en="Crews are on site.",
        message_es="Los equipos están en el lugar.",
        notify=False,
        posted_by=None,
    )
    watching.watch(account=ana.account, user=ana.user, outage_id=outage.pk)
    plan_maintenance(areas=[area("south")], starts_at=NOW + dt.timedelta(days=3))
    with clock.frozen(NOW - dt.timedelta(days=1)):
        fixed = declare_outage(areas=[area("north")], title_en="Fixed yesterday")
        declaring.resolve(outage=fixed, resolved_by=None)
    area("east")
    return ana


def test_every_area_with_its_state_without_signing_in(town):
    response = Client().get(STATUS, {"language": "en"})

    assert response.status_code == 200
    body = response.json()
    states = {a["code"]: a["state"] for a in body["areas"]}
    assert states == {"east": "ok", "north": "outage", "south": "ok"}
    north = next(a for a in body["areas"] if a["code"] == "north")
    assert [o["title"] for o in north["current"]] == ["Fiber cut on Main Street"]
    assert north["current"][0]["cause"] == "Power cut at the hub."
    assert north["current"][0]["eta"] == "2026-03-10T21:00:00Z"  # the update's new ETA
    assert north["upcoming"] == []
    south = next(a for a in body["areas"] if a["code"] == "south")
    assert [o["kind"] for o in south["upcoming"]] == ["maintenance"]
    assert south["current"] == []
    # The same for everyone: shared caches may keep it a minute.
    assert response["Cache-Control"] == "public, max-age=60"
    assert "Accept-Language" in response["Vary"]
    assert not response.cookies


def test_one_area_with_now_ahead_and_fixed_and_the_updates(town):
    body = Client().get(f"{STATUS}/north", {"language": "en"}).json()
    assert (body["code"], body["name"], body["state"]) == ("north", "North", "outage")
    (now,) = body["current"]
    # Oldest first: declared, then the crews' update.
    assert [u["message"] for u in now["updates"]] == ["", "Crews are on site."]
    assert now["updates"][-1]["eta"] == "2026-03-10T21:00:00Z"
    assert [o["title"] for o in body["recent"]] == ["Fixed yesterday"]
    assert body["recent"][0]["resolved_at"] is not None
    south = Client().get(f"{STATUS}/south").json()
    assert [o["title"] for o in south["upcoming"]] == ["Network upgrade"]


def test_in_spanish_when_asked(town):
    body = Client().get(f"{STATUS}/north", {"language": "es"}).json()
    (now,) = body["current"]
    assert now["title"] == "Corte de fibra en Main Street"
    assert now["cause"] == "Corte de luz."
    assert now["updates"][-1]["message"] == "Los equipos están en el lugar."
    assert now["kind_label"] == "Corte de servicio"
    by_browser = Client().get(STATUS, HTTP_ACCEPT_LANGUAGE="es").json()
    assert by_browser["language"] == "es"


def test_nothing_of_anyones_account_shows_even_to_the_watcher(town):
    watcher = Client()
    watcher.force_login(town.user)
    for client in (Client(), watcher):
        for url in (STATUS, f"{STATUS}/north"):
            shown = client.get(url).content.decode()
            assert "anasecret" not in shown
            assert town.account.number not in shown
            assert "watch" not in shown


def test_an_unknown_area_is_404_and_not_kept_by_caches(town):
    response = Client().get(f"{STATUS}/nowhere")
    assert response.status_code == 404
    assert response["Cache-Control"] == "no-store"


def test_an_unknown_language_is_a_400_naming_it(town):
    response = Client().get(STATUS, {"language": "fr"})
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "language"
    assert response["Cache-Control"] == "no-store"
