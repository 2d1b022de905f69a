"""The service worker's script: served from the root so its scope is the whole site, never
kept by a cache, and a new version (new cache names) whenever what it installs changes.
What it does in a browser is tested in tests/e2e/test_pwa_browser.py."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

SCRIPT = "/sw.js"


def config(client: Client) -> dict:
    """The settings the server gives the script (its ``CONFIG`` line)."""
    script = client.get(SCRIPT).content.decode()
    found = re.search(r"^const CONFIG = (\{.*\});$", script, re.MULTILINE)
    assert found, "no CONFIG line in the script"
    return dict(json.loads(found.group(1)))


def test_served_from_the_root_as_javascript_for_the_whole_site(client):
    assert reverse("pwa:service_worker") == SCRIPT
    response = client.get(SCRIPT)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert response["Service-Worker-Allowed"] == "/"
    # Never kept: a browser checks for a new version at every visit, and gets it.
    assert response["Cache-Control"] == "no-store"
    assert not response.cookies


def test_only_get(client):
    assert client.post(SCRIPT).status_code == 405


def test_the_shell_it_installs_is_there(client):
    """Every address the worker installs answers, or installing it would fail."""
    shell = config(client)["shell"]
    assert "/static/dropline/site.css" in shell
    assert "/offline/?lang=en" in shell
    assert "/offline/?lang=es" in shell
    for address in shell:
        response = client.get(address)
        assert response.status_code == 200, address
        if hasattr(response, "streaming_content"):
            response.close()


def test_it_leaves_the_back_office_and_the_apis_alone(client):
    assert set(config(client)["passThrough"]) == {"/backoffice/", "/api/", "/_allauth/"}


def test_it_reads_the_headers_the_pages_kept_offline_send(client):
    from dropline.portal.pwa import offline_copy

    settings = config(client)
    assert settings["offlineHeader"] == offline_copy.OFFLINE_HEADER
    assert settings["ownerHeader"] == offline_copy.OWNER_HEADER
    assert settings["private"] == offline_copy.PRIVATE
    assert settings["noticeHidden"] == offline_copy.NOTICE_HIDDEN
    assert settings["noticeShown"] == offline_copy.NOTICE_SHOWN


def test_the_notification_icon_is_the_app_icon(client):
    manifest = client.get(reverse("pwa:manifest")).json()
    assert config(client)["notificationIcon"] == manifest["icons"][0]["src"]


def test_the_version_stays_until_what_it_installs_changes(client, settings):
    first = config(client)["version"]
    assert config(client)["version"] == first
    # The offline page shows the support number: a new one is a new worker.
    settings.DROPLINE_SUPPORT_PHONE = "+13195550100"
    changed = config(client)["version"]
    assert changed != first
    settings.DROPLINE_PROVIDER_NAME = "Riverbend Net"
    assert config(client)["version"] not in (first, changed)
