"""The web app manifest: what a browser needs to offer the portal as an app, in the
reader's language, with icons that exist at the sizes it says."""

from __future__ import annotations

import math
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse
from PIL import Image

from tests.support.factories import make_customer

pytestmark = pytest.mark.django_db

MANIFEST = "/manifest.webmanifest"


def manifest(client: Client, query: str = "", *, accept_language: str = "") -> dict:
    headers = {"Accept-Language": accept_language} if accept_language else {}
    response = client.get(MANIFEST + query, headers=headers)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/manifest+json")
    return response.json()


def static_file(url: str) -> str:
    assert url.startswith(settings.STATIC_URL), url
    found = finders.find(url.removeprefix(settings.STATIC_URL))
    assert found, f"{url} is not a static file"
    return str(found)


def test_it_is_at_the_root_by_its_name():
    assert reverse("pwa:manifest") == MANIFEST


def test_an_installable_app_of_the_whole_site(client, settings):
    settings.DROPLINE_PROVIDER_NAME = "Riverbend Net"
    app = manifest(client, "?lang=en")

    assert app["name"] == "Riverbend Net customer portal"
    assert app["short_name"] == "Riverbend Net"
    assert app["description"]
    assert app["lang"] == "en"
    assert app["id"] == "/"
    assert app["start_url"] == "/"
    assert app["scope"] == "/"
    assert app["display"] == "standalone"


def test_names_in_spanish(client, settings):
    settings.DROPLINE_PROVIDER_NAME = "Riverbend Net"
    app = manifest(client, "?lang=es")

    assert app["name"] == "Portal de clientes de Riverbend Net"
    assert app["description"] == (
        "Sus facturas, su uso de datos, sus servicios y ayuda, en un solo lugar."
    )
    assert app["lang"] == "es"
    # The app is the same app whatever the language it was installed in.
    assert app["id"] == manifest(client, "?lang=en")["id"]


def test_without_lang_it_follows_the_browser(client):
    assert manifest(client, accept_language="es-MX,es;q=0.9")["lang"] == "es"
    assert manifest(client, accept_language="en-US")["lang"] == "en"
    assert manifest(client, "?lang=xx", accept_language="es")["lang"] == "es"


def test_the_colors_are_the_sites(client):
    app = manifest(client)
    css = Path(static_file(settings.STATIC_URL + "dropline/site.css")).read_text()
    brand = re.search(r"--brand:\s*(#[0-9a-f]{6})", css)
    background = re.search(r"--bg:\s*(#[0-9a-f]{6})", css)
    assert brand
    assert background
    assert app["theme_color"] == brand.group(1)
    assert app["background_color"] == background.group(1)


def test_icons_exist_at_the_sizes_they_say(client):
    icons = manifest(client)["icons"]
    pngs = [icon for icon in icons if icon["type"] == "image/png"]
    for icon in pngs:
        width, height = (int(n) for n in icon["sizes"].split("x"))
        with Image.open(static_file(icon["src"])) as image:
            assert image.format == "PNG"
            assert image.size == (width, height), icon["src"]
    sizes = {(icon["sizes"], icon.get("purpose", "any")) for icon in pngs}
    # What Chromium asks for, and the same for masks (adaptive icons on Android).
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= sizes
    (svg,) = [icon for icon in icons if icon["type"] == "image/svg+xml"]
    assert svg["sizes"] == "any"
    assert Path(static_file(svg["src"])).read_text().startswith("<svg")


def test_a_maskable_icon_fills_its_square_with_the_letter_in_the_safe_zone(client):
    """A mask may cut anything outside the circle of 80% of the width at the middle: the
    background fills the whole square, and the letter stays inside that circle."""
    maskable = [icon for icon in manifest(client)["icons"] if icon.get("purpose") == "maskable"]
    assert maskable
    for icon in maskable:
        with Image.open(static_file(icon["src"])) as image:
            assert image.convert("RGBA").getchannel("A").getextrema() == (255, 255)
            letter = image.convert("L").point(lambda level: 255 if level > 200 else 0)
            box = letter.getbbox()
            assert box is not None, "no letter on the icon"
            middle, safe = image.width / 2, 0.4 * image.width
            for x, y in [(box[0], box[1]), (box[2], box[1]), (box[0], box[3]), (box[2], box[3])]:
                assert math.hypot(x - middle, y - middle) <= safe, (icon["src"], box)


def test_shared_caches_may_keep_it_per_language(client):
    response = client.get(MANIFEST + "?lang=es")
    assert response["Cache-Control"].startswith("public, max-age=")
    assert "Accept-Language" in response["Vary"]
    assert response["Content-Language"] == "es"
    assert not response.cookies


def test_every_portal_page_links_it_with_the_theme_color_and_home_screen_icon(client):
    customer = make_customer(username="ines")
    app = manifest(client)
    pages = {"sign-in": client.get(reverse("account_login")), "status": client.get("/status/")}
    pages["offline"] = client.get(reverse("pwa:offline"))
    client.force_login(customer.user)
    pages["overview"] = client.get("/")
    pages["help"] = client.get(reverse("help:index"))
    for name, response in pages.items():
        assert response.status_code == 200, name
        page = response.content.decode()
        language = response["Content-Language"]
        assert f'<link rel="manifest" href="{MANIFEST}?lang={language}">' in page, name
        assert f'<meta name="theme-color" content="{app["theme_color"]}">' in page, name
        icon = re.search(r'<link rel="apple-touch-icon" href="([^"]+)">', page)
        assert icon, name
        with Image.open(static_file(icon.group(1))) as image:
            assert image.size == (180, 180)
            assert image.mode == "RGB"  # no transparency: iOS would show it black
