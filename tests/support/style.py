"""The style guide's forbidden spellings (docs/STYLE.md), for the tests that read pages.

The rules are ``dropline.core.style.FORBIDDEN`` when the product has that module, so the
static check and the browser crawl read one list. Until then these are the rules the
style guide states: one spelling of "email", US spelling, and US Spanish without
Spain-only words. Each rule applies to text in one language ("en" or "es").
"""

from __future__ import annotations

import functools
import importlib
import re
from dataclasses import dataclass
from typing import Protocol


class _Rule(Protocol):
    @property
    def pattern(self) -> re.Pattern[str]: ...
    @property
    def language(self) -> str: ...
    @property
    def reason(self) -> str: ...


@dataclass(frozen=True)
class Rule:
    pattern: re.Pattern[str]
    language: str  # "en" or "es"
    reason: str


def _rule(pattern: str, language: str, reason: str) -> Rule:
    return Rule(re.compile(pattern), language, reason)


STYLE_GUIDE_RULES: tuple[Rule, ...] = (
    _rule(r"\b[Ee]-[Mm]ail", "en", 'write "email" (never "e-mail")'),
    _rule(r"\b[Cc]entre(s|d)?\b", "en", 'US spelling: "center"'),
    _rule(r"\b[Rr]ecognis(e|ed|es|ing)\b", "en", 'US spelling: "recognize"'),
    _rule(r"\b[Cc]olour", "en", 'US spelling: "color"'),
    _rule(r"\b[Ee]-[Mm]ail\b", "es", 'escriba "correo electrónico"'),
    _rule(r"\b[Aa]ñad(ir|e|a|ido|ida|idos|idas)\b", "es", 'Latin America: "agregar"'),
    _rule(r"\b[Rr]eenvi(ar|e|a|ado|ada)\b", "es", 'Latin America: "volver a enviar"'),
)


@functools.cache
def forbidden_rules() -> tuple[_Rule, ...]:
    """The product's list when it has one, else the style guide's rules above."""
    try:
        module = importlib.import_module("dropline.core.style")
    except ModuleNotFoundError:
        return STYLE_GUIDE_RULES
    return tuple(module.FORBIDDEN)


def forbidden_spellings(text: str, language: str) -> list[str]:
    """What ``text`` (in ``language``, "en" or "es") writes that the style guide rules
    out: the words as written, and what to write instead."""
    found = []
    for rule in forbidden_rules():
        if rule.language != language:
            continue
        for match in rule.pattern.finditer(text):
            found.append(f'"{match.group(0).strip()}": {rule.reason}')
    return found
