"""Every shipped article reads in its own language, as a page must: no text left in
English on a Spanish article (a catalogue string whose Spanish differs), and none of the
style guide's forbidden spellings, in either language. The browser crawl checks only the
articles it reaches; this checks every one, as rendered."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from dropline.helpdesk.help.library import read_all
from dropline.helpdesk.help.rendering import render
from tests.e2e.checks import english_text
from tests.support.style import forbidden_spellings


class Texts(HTMLParser):
    """Each element's own text, whitespace collapsed, as the browser check reads it."""

    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []

    def handle_data(self, data: str) -> None:
        text = " ".join(data.split())
        if text:
            self.texts.append(text)


SHIPPED = read_all()


def texts_of(markdown: str) -> list[str]:
    parser = Texts()
    parser.feed(render(markdown))
    return parser.texts


@pytest.mark.parametrize("shipped", SHIPPED, ids=[f"{a.slug}.{a.language}" for a in SHIPPED])
def test_the_article_reads_in_its_language(shipped):
    texts = [shipped.title, shipped.summary, *texts_of(shipped.body)]
    problems = [
        f"{spelling} in {text[:60]!r}"
        for text in texts
        for spelling in forbidden_spellings(text, shipped.language)
    ]
    if shipped.language == "es":
        catalogue = english_text()
        problems += [
            f"English {text!r} (Spanish: {catalogue.spanish_for(text)!r})"
            for text in texts
            if catalogue.spanish_for(text) is not None
        ]
    assert problems == []


def test_every_article_ships_in_both_languages():
    languages: dict[str, set[str]] = {}
    for shipped in SHIPPED:
        languages.setdefault(shipped.slug, set()).add(shipped.language)
    assert len(languages) >= 20
    assert {slug for slug, found in languages.items() if found != {"en", "es"}} == set()
