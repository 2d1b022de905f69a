"""The crawl's checks and link rules catch what they are for, and pass a sound page."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.e2e.checks import axe_problems, page_problems
from tests.e2e.crawling import Crawl, shape
from tests.e2e.support import MOBILE

SITE = "http://testserver"

BROKEN = """<!DOCTYPE html><html lang="es"><head><title>Su cuenta</title></head>
<body><main><h1>Su cuenta</h1>
  <p>Skip to main content</p>
  <table><tr><td>customer.viewed</td><td>dropline.example</td></tr></table>
  <p>Escriba su e-mail para continuar.</p>
  <p lang="en">Your e-mail address</p>
  <div style="width: 900px">Una fila demasiado ancha</div>
  <img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
</main></body></html>"""

SOUND = """<!DOCTYPE html><html lang="es"><head><title>Su cuenta</title></head>
<body data-layout="portal"><main><h1>Su cuenta</h1>
  <p>Ir al contenido principal</p><p lang="en">English</p>
  <p>Escriba su correo electrónico en dropline.example para continuar.</p>
</main></body></html>"""


@pytest.mark.browser
def test_each_rule_reports_the_element_and_the_reason(page: Page) -> None:
    page.set_viewport_size(MOBILE)
    page.set_content(BROKEN)
    problems = page_problems(page, "/account/", spanish=True)

    assert problems["not in Dropline's layout"] == ['<body> has no data-layout, expected "portal"']
    assert problems["English on a Spanish page"] == [
        'p "Skip to main content" (Spanish: "Ir al contenido principal")'
    ]
    assert problems["raw code instead of words"] == ['td "customer.viewed"']  # not the host
    spellings = problems["forbidden spelling"]
    assert len(spellings) == 2  # in the Spanish text and in the English one
    assert all('"e-mail"' in line for line in spellings)
    (sideways,) = [rule for rule in problems if rule.startswith("scrolls sideways")]
    assert any(line.startswith('div "Una fila demasiado ancha"') for line in problems[sideways])
    assert any(line.startswith("image-alt (critical)") for line in axe_problems(page))

    # The back-office layout is expected under /backoffice/.
    page.set_content(SOUND)
    assert page_problems(page, "/backoffice/", spanish=True) == {
        "not in Dropline's layout": ['<body> has data-layout="portal", expected "backoffice"']
    }


@pytest.mark.browser
def test_a_sound_page_has_nothing_to_report(page: Page) -> None:
    page.set_viewport_size(MOBILE)
    page.set_content(SOUND)
    assert page_problems(page, "/account/", spanish=True) == {}
    assert axe_problems(page) == []


def test_the_crawl_follows_pages_not_actions() -> None:
    crawl = Crawl(origin=SITE, skipped=("/backoffice/",))
    assert crawl.followable(f"{SITE}/security/#sessions") == f"{SITE}/security/"
    assert crawl.followable(f"{SITE}/notifications/?page=2") == f"{SITE}/notifications/?page=2"
    for url in [
        "http://elsewhere.example/",
        f"{SITE}/accounts/logout/",
        f"{SITE}/backoffice/",
        f"{SITE}/api/v1/overview",
        f"{SITE}/static/dropline/site.css",
        f"{SITE}/accounts/login/?next=/security/",
        f"{SITE}/backoffice/admin/catalog/plan/3/delete/",
        f"{SITE}/statements/2026-11.pdf",
    ]:
        assert crawl.followable(url) is None, url


def test_pages_of_one_shape_are_checked_a_few_times_only() -> None:
    assert shape(f"{SITE}/backoffice/customers/826000000016/?tab=notes") == (
        "/backoffice/customers/{}/"
    )
    assert shape(f"{SITE}/support/articles/autopay/") == "/support/articles/{}/"
    assert shape(f"{SITE}/support/articles/autopay/feedback/") == "/support/articles/{}/feedback/"
    assert shape(f"{SITE}/support/topics/billing/?lang=es") == "/support/topics/{}/"
    assert shape(f"{SITE}/support/") == "/support/"
    crawl = Crawl(origin=SITE, per_shape=2, per_section=3)
    admitted = [crawl.admit(f"{SITE}/backoffice/customers/{number}/") for number in (101, 102, 103)]
    assert admitted == [True, True, False]
    assert crawl.admit(f"{SITE}/backoffice/customers/101/notes/")
    assert not crawl.admit(f"{SITE}/backoffice/customers/101/events/")  # section full
