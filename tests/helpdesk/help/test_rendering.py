"""Article text is Markdown made safe: what a person sees is the formatting, never a
script, a frame or a link that runs code."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from dropline.helpdesk.help.rendering import plain_text, render, safe_href


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, attrs))


def elements(shown: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    parser = _Elements()
    parser.feed(shown)
    return parser.found


def test_markdown_becomes_headings_lists_and_links():
    shown = render("## Restart\n\n1. Open **Equipment**\n2. Press [Restart](/equipment/)\n")
    assert "<h2>Restart</h2>" in shown
    assert "<ol>" in shown
    assert "<strong>Equipment</strong>" in shown
    assert 'href="/equipment/"' in shown


@pytest.mark.parametrize(
    "hostile",
    [
        "<script>alert(1)</script>",
        "<iframe src='https://evil.example/'></iframe>",
        "<div><script>alert(1)</script></div>",
        "<img src=x onerror=alert(1)>",
        "<a href='javascript:alert(1)'>x</a>",
        "Text <b onclick='alert(1)'>bold</b>",
    ],
)
def test_raw_html_never_survives(hostile):
    shown = render(f"Before\n\n{hostile}\n\nAfter *end*")
    # Shown as words, if at all: no element but paragraphs and the emphasis.
    assert {tag for tag, _attrs in elements(shown)} == {"p", "em"}
    assert "<em>end</em>" in shown


@pytest.mark.parametrize(
    "address",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        "  javascript:alert(1)",
        "data:text/html;base64,PHNjcmlwdD4=",
        "vbscript:msgbox(1)",
        "//evil.example/",
    ],
)
def test_links_that_run_code_or_leave_by_a_trick_lose_their_address(address):
    shown = render(f"[Click here]({address})")
    assert "Click here" in shown
    assert "href" not in shown


@pytest.mark.parametrize(
    "address", ["/billing/autopay/", "https://example.com/a", "http://example.com", "#part"]
)
def test_web_and_site_links_stay(address):
    assert safe_href(address)
    assert f'href="{address}"' in render(f"[Go]({address})")


def test_a_first_level_heading_becomes_a_second_level_one():
    assert "<h2>Big</h2>" in render("# Big")
    assert "<h1" not in render("# Big")


def test_plain_text_has_the_words_without_the_markup():
    assert plain_text("## Pay\n\nUse **autopay** on [Billing](/billing/).") == (
        "Pay Use autopay on Billing."
    )
