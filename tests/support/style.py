"""The style guide's forbidden spellings (docs/STYLE.md), for the tests that read pages.

The rules are ``dropline.core.style.FORBIDDEN``: the static check of the sources and
the browser crawl read the same list.
"""

from __future__ import annotations

from dropline.core.style import FORBIDDEN


def forbidden_spellings(text: str, language: str) -> list[str]:
    """What ``text`` (in ``language``, "en" or "es") writes that the style guide rules
    out: the words as written, and what to write instead."""
    found = []
    for rule in FORBIDDEN:
        if rule.language != language:
            continue
        for match in rule.pattern.finditer(text):
            found.append(f'"{match.group(0).strip()}": {rule.reason}')
    return found
