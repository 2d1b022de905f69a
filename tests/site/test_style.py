"""The style guide's forbidden words (``dropline.core.style.FORBIDDEN``, see docs/STYLE.md)
appear nowhere a person could read them: not in the templates' text, not in the string
literals of the Python code (docstrings aside), not in the English source strings of the
Spanish catalogue and not in its Spanish translations. Every rule is proved to bite on an
example of its own, so a rule that no longer catches anything fails here too.

Static and cheap (no database, no rendering): what the pages show at run time, allauth's
strings included, is the browser crawl's to check."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import polib
import pytest

from dropline.core.style import FORBIDDEN, Rule, violations

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "dropline"
CATALOGUE = PACKAGE / "locale" / "es" / "LC_MESSAGES" / "django.po"
SKIPPED_DIRS = {"migrations", "__pycache__", "locale", "static"}

# Strings in the code that are not words for people: the names of things. Each entry is
# the file and the literal, with the reason it may stay.
ALLOWED_LITERALS: dict[tuple[str, str], str] = {
    ("dropline/subscriptions/models.py", "cancelled"): "a stored status value, shown as Canceled",
    ("dropline/orders/models.py", "cancelled"): "a stored status value, shown as Canceled",
    ("dropline/payments/models.py", "cancelled"): "a stored status value, shown as Canceled",
    ("dropline/orders/placing.py", "order.cancelled"): "an audit action's code, as staff filter it",
    ("dropline/backoffice/words.py", "order.cancelled"): "an audit action's code, said in words",
    ("dropline/api/orders/schemas.py", "`pending`, `completed` or `cancelled`."): (
        "the stored status values the API answers with"
    ),
    (
        "dropline/api/payments/schemas.py",
        "`scheduled` (waiting for its day), `sent` (made: see `payment`), `cancelled`, or "
        "`skipped` (nothing was owed any more on the day).",
    ): "the stored status values the API answers with",
    ("dropline/settings.py", "reauthenticate"): "the name of allauth's form setting",
    ("dropline/identity/adapter.py", "reauthenticate"): "the id of allauth's password method",
}
# The style module's rules, reasons and examples are the forbidden words themselves.
SKIPPED_MODULES = {"dropline/core/style.py"}

_COMMENT_BLOCK = re.compile(r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}", re.S)
_TEMPLATE_COMMENT = re.compile(r"{#.*?#}", re.S)
_SCRIPT_OR_STYLE = re.compile(r"<(script|style)\b.*?</\1>", re.S | re.I)
_QUOTED = r"""(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)')"""
_TRANSLATED = re.compile(rf"""(?:{{%\s*(?:translate|trans)\s+|_\(){_QUOTED}""")
_TEMPLATE_TAG = re.compile(r"{%.*?%}|{{.*?}}", re.S)
_VISIBLE_ATTRIBUTE = re.compile(
    rf"""\b(?:alt|title|aria-label|placeholder|value|content)={_QUOTED}""", re.I
)
_HTML_TAG = re.compile(r"<[^>]*>", re.S)


def template_text(source: str) -> str:
    """What a template can show: its text, the strings it translates and the attributes
    people read or hear (alt, title, aria-label, placeholder, button values)."""
    source = _COMMENT_BLOCK.sub(" ", source)
    source = _TEMPLATE_COMMENT.sub(" ", source)
    source = _SCRIPT_OR_STYLE.sub(" ", source)
    translated = [a or b for a, b in _TRANSLATED.findall(source)]
    source = _TEMPLATE_TAG.sub(" ", source)
    attributes = [a or b for a, b in _VISIBLE_ATTRIBUTE.findall(source)]
    text = _HTML_TAG.sub(" ", source)
    return "\n".join([text, *translated, *attributes])


def _docstrings(tree: ast.Module) -> set[int]:
    found: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


def python_literals(source: str) -> Iterator[tuple[int, str]]:
    """The string literals of a module, its docstrings aside (they are for developers)."""
    tree = ast.parse(source)
    docstrings = _docstrings(tree)
    for node in ast.walk(tree):
        if not isinstance(node, ast.Constant) or id(node) in docstrings:
            continue
        if isinstance(node.value, str):
            yield node.lineno, node.value


def _files(suffixes: set[str]) -> Iterator[Path]:
    for path in sorted(PACKAGE.rglob("*")):
        if path.suffix in suffixes and not SKIPPED_DIRS & set(path.relative_to(PACKAGE).parts):
            yield path


@cache
def findings() -> tuple[str, ...]:
    found: list[str] = []

    def check(where: str, text: str, language: str) -> None:
        for rule in violations(text, language):
            match = rule.pattern.search(text)
            assert match is not None
            found.append(f"{where}: {match.group(0)!r} ({rule.reason})")

    for path in _files({".html", ".txt"}):
        check(str(path.relative_to(ROOT)), template_text(path.read_text()), "en")
    for path in _files({".py"}):
        name = str(path.relative_to(ROOT))
        if name in SKIPPED_MODULES:
            continue
        for line, literal in python_literals(path.read_text()):
            if (name, literal) not in ALLOWED_LITERALS:
                check(f"{name}:{line}", literal, "en")
    for entry in polib.pofile(str(CATALOGUE)):
        if entry.obsolete:
            continue
        where = f"{CATALOGUE.relative_to(ROOT)}:{entry.linenum}"
        for msgid in filter(None, [entry.msgid, entry.msgid_plural]):
            check(where, msgid, "en")
        for msgstr in filter(None, [entry.msgstr, *entry.msgstr_plural.values()]):
            check(where, msgstr, "es")
    return tuple(found)


def test_no_forbidden_words_in_templates_code_or_catalogue():
    assert list(findings()) == []


@pytest.mark.parametrize("rule", FORBIDDEN, ids=lambda rule: rule.pattern.pattern[:40])
def test_every_rule_catches_its_example(rule: Rule):
    assert rule in violations(rule.example, rule.language)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Your email address", "en"),
        ("Notification center", "en"),
        ("If you don't recognize this sign-in", "en"),
        ("Canceled", "en"),
        ("Authorized user", "en"),
        ("Sign in", "en"),
        ("Agregar correo electrónico", "es"),
        ("Volver a enviar el código", "es"),
        ("Ingrese el código que le enviamos a su correo electrónico.", "es"),
        ("Si no puede iniciar sesión, comuníquese con nosotros.", "es"),
        ("Usted confirma su identidad.", "es"),
        ("Tuvimos un problema. Intente de nuevo.", "es"),
    ],
)
def test_the_house_style_passes(text: str, language: str):
    assert violations(text, language) == []


def test_template_text_reads_translated_strings_attributes_and_text_not_code():
    source = (
        '{% load i18n %}<a href="{% url "account_reauthenticate" %}" title="Log in">'
        "{% translate 'E-mail address' %}</a>{# centre #}<p>Notification centre</p>"
        '<input class="color" placeholder="Your e-mail">'
    )
    text = template_text(source)
    assert "E-mail address" in text
    assert "Log in" in text
    assert "Notification centre" in text
    assert "Your e-mail" in text
    assert "reauthenticate" not in text
    assert "color" not in text
    assert text.count("centre") == 1


# Django's ways of printing a label add its suffix, a colon ("Password:"); Dropline's
# templates print ``field.label`` (portal/_field.html) instead.
_LABEL_WITH_SUFFIX = re.compile(r"label_tag|\.as_(p|table|ul|div)\b|{{\s*form\s*}}|:\s*</label>")


def test_no_template_prints_a_label_with_a_colon():
    offenders = [
        str(path.relative_to(ROOT))
        for path in _files({".html"})
        if _LABEL_WITH_SUFFIX.search(path.read_text())
    ]
    assert offenders == []
