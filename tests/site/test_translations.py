"""The Spanish catalogue: complete, well-formed, up to date with the code, and served.

Nothing here needs GNU gettext: strings are found in the templates with Django's
own ``templatize`` (what ``makemessages`` feeds to xgettext) and in the Python
code with ``ast``, and the catalogue is read with polib. When a test here fails
after you added or changed a string, run (from the ``dropline/`` directory)::

    SECRET_KEY=x-makemessages-only-0123456789012345678901234567 DROPLINE_HTTPS=0 \\
        ALLOWED_HOSTS=localhost ../.venv/bin/dropline makemessages -l es --ignore 'migrations/*'

then translate the new entries in ``dropline/locale/es/LC_MESSAGES/django.po``
(and remove any ``#, fuzzy`` flag once the translation is checked).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import polib
import pytest
from django.utils.translation.template import templatize

from dropline.i18n import compile_catalogues

PACKAGE = Path(__file__).resolve().parents[2] / "dropline"
CATALOGUE_NAME = "dropline/locale/es/LC_MESSAGES/django.po"
CATALOGUE = PACKAGE.parent / CATALOGUE_NAME

# What `makemessages -d django` reads, and what it skips: ours are migrations
# (--ignore 'migrations/*') plus Django's defaults (hidden names, editor backups).
TEMPLATE_SUFFIXES = {".html", ".txt"}
SKIPPED_DIRS = {"migrations", "__pycache__", "locale"}

# Translation functions: name -> (index of msgctxt or None, msgid, msgid_plural or None).
GETTEXT_FUNCTIONS: dict[str, tuple[int | None, int, int | None]] = {
    "_": (None, 0, None),
    "gettext": (None, 0, None),
    "gettext_lazy": (None, 0, None),
    "gettext_noop": (None, 0, None),
    "ngettext": (None, 0, 1),
    "ngettext_lazy": (None, 0, 1),
    "pgettext": (0, 1, None),
    "pgettext_lazy": (0, 1, None),
    "npgettext": (0, 1, 2),
    "npgettext_lazy": (0, 1, 2),
}

# printf-style placeholders, named or not; "%%" is a literal percent sign.
PERCENT_PLACEHOLDER = re.compile(
    r"%(?:\((?P<name>[^)]*)\))?[#0 +-]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa%]"
)
BRACE_PLACEHOLDER = re.compile(r"(?<!\{)\{(?!\{)([^{}]*)\}")

# A call in templatize's output: gettext(u'...'), ngettext(u'...', u'...', count), _("...").
TEMPLATIZED_CALL = re.compile(
    r"\b(?P<func>npgettext|pgettext|ngettext|gettext|_)\("
    r"(?P<args>(?:\s*u?(?:'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\")\s*,?)+)"
    r"(?:\s*count)?\s*\)"
)
STRING_LITERAL = re.compile(r"u?(?:'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\")")


@dataclass(frozen=True)
class Message:
    """A string the code asks to be translated, and where."""

    msgid: str
    msgid_plural: str | None
    msgctxt: str | None
    where: str

    def describe(self) -> str:
        text = repr(self.msgid)
        if self.msgid_plural is not None:
            text += f" (plural {self.msgid_plural!r})"
        if self.msgctxt is not None:
            text += f" (context {self.msgctxt!r})"
        return f"{self.where}: {text}"


def source_files(suffixes: set[str]) -> Iterator[Path]:
    for path in sorted(PACKAGE.rglob("*")):
        relative = path.relative_to(PACKAGE)
        if any(part in SKIPPED_DIRS or part.startswith(".") for part in relative.parts):
            continue
        if path.is_file() and path.suffix in suffixes and not path.name.endswith("~"):
            yield path


def message_from_args(func: str, args: list[str], where: str) -> Message | None:
    ctx_at, msgid_at, plural_at = GETTEXT_FUNCTIONS[func]
    needed = max(i for i in (ctx_at, msgid_at, plural_at) if i is not None)
    if len(args) <= needed:
        return None
    return Message(
        msgid=args[msgid_at],
        msgid_plural=args[plural_at] if plural_at is not None else None,
        msgctxt=args[ctx_at] if ctx_at is not None else None,
        where=where,
    )


def template_messages(path: Path) -> Iterator[Message]:
    """The strings of one template, found as makemessages finds them."""
    name = path.relative_to(PACKAGE.parent).as_posix()
    code = templatize(path.read_text(encoding="utf-8"), origin=str(path))
    for lineno, line in enumerate(code.splitlines(), start=1):
        for call in TEMPLATIZED_CALL.finditer(line):
            args = [ast.literal_eval(s) for s in STRING_LITERAL.findall(call["args"])]
            message = message_from_args(call["func"], args, f"{name}:{lineno}")
            if message is not None:
                yield message


def unknown_aliases(path: Path) -> Iterator[str]:
    """Translation functions imported under a name xgettext will not look for."""
    name = path.relative_to(PACKAGE.parent).as_posix()
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation":
            for alias in node.names:
                if alias.asname and alias.asname not in GETTEXT_FUNCTIONS:
                    yield f"{name}:{node.lineno}: {alias.name} as {alias.asname}"


def python_messages(path: Path) -> Iterator[Message]:
    """The literal strings given to a translation function in one Python module.

    Like xgettext, this goes by the called name (``_``, ``gettext_lazy``,
    ``translation.gettext``...), not by what was imported under it.
    """
    name = path.relative_to(PACKAGE.parent).as_posix()
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        if isinstance(node.func, ast.Name):
            called = node.func.id
        elif isinstance(node.func, ast.Attribute):
            called = node.func.attr
        else:
            continue
        if called not in GETTEXT_FUNCTIONS:
            continue
        args: list[str] = []
        for arg in node.args:
            if not (isinstance(arg, ast.Constant) and isinstance(arg.value, str)):
                break
            args.append(arg.value)
        message = message_from_args(called, args, f"{name}:{node.lineno}")
        if message is not None:
            yield message


def code_messages() -> list[Message]:
    messages: list[Message] = []
    for path in source_files(TEMPLATE_SUFFIXES):
        messages.extend(template_messages(path))
    for path in source_files({".py"}):
        messages.extend(python_messages(path))
    return messages


def placeholders(text: str, flags: list[str]) -> tuple[set[str], list[str], set[str]]:
    """Named %-placeholders, unnamed %-conversions in order, {}-placeholders.

    Only for the formats gettext flagged the entry with: a "%" or "{" in plain
    text is just a character.
    """
    named: set[str] = set()
    positional: list[str] = []
    percent = "python-format" in flags
    for match in PERCENT_PLACEHOLDER.finditer(text) if percent else ():
        if match[0] == "%%":
            continue
        if match["name"] is not None:
            named.add(match["name"])
        else:
            positional.append(match[0][-1])
    braces = set(BRACE_PLACEHOLDER.findall(text)) if "python-brace-format" in flags else set()
    return named, positional, braces


@pytest.fixture(scope="module")
def catalogue() -> polib.POFile:
    assert CATALOGUE.is_file(), f"{CATALOGUE} is missing: run makemessages -l es"
    return polib.pofile(str(CATALOGUE))


def live_entries(catalogue: polib.POFile) -> list[polib.POEntry]:
    return [entry for entry in catalogue if not entry.obsolete]


def test_catalogue_header_is_spanish_utf8_with_two_plural_forms(catalogue):
    assert catalogue.metadata.get("Language") == "es"
    assert "charset=UTF-8" in catalogue.metadata.get("Content-Type", "")
    assert catalogue.metadata.get("Plural-Forms") == "nplurals=2; plural=(n != 1);"
    assert not catalogue.metadata_is_fuzzy, "the header is marked fuzzy"


def test_every_entry_is_translated_and_none_is_fuzzy(catalogue):
    entries = live_entries(catalogue)
    assert entries, "the catalogue is empty"
    problems = []
    for entry in entries:
        if "fuzzy" in entry.flags:
            problems.append(f"fuzzy (check it, then remove the flag): {entry.msgid!r}")
        if entry.msgid_plural:
            forms = entry.msgstr_plural
            if sorted(forms) != [0, 1] or not all(text.strip() for text in forms.values()):
                problems.append(f"needs both plural forms filled in: {entry.msgid!r}")
        elif not entry.msgstr.strip():
            problems.append(f"untranslated: {entry.msgid!r}")
    assert not problems, f"in {CATALOGUE_NAME}:\n" + "\n".join(problems)


def test_translations_keep_the_placeholders_of_the_source(catalogue):
    problems = []
    for entry in live_entries(catalogue):
        if entry.msgid_plural:
            pairs = [
                (entry.msgid if index == 0 else entry.msgid_plural, text)
                for index, text in sorted(entry.msgstr_plural.items())
            ]
        else:
            pairs = [(entry.msgid, entry.msgstr)]
        for source, translation in pairs:
            expected = placeholders(source, entry.flags)
            found = placeholders(translation, entry.flags)
            if expected != found:
                problems.append(f"{source!r} -> {translation!r}: {expected} != {found}")
    assert not problems, "placeholders differ:\n" + "\n".join(problems)


def test_the_extractor_finds_strings_in_templates_and_python():
    """Guards the check below against finding nothing and so passing vacuously."""
    found = {(m.msgid, m.msgid_plural) for m in code_messages()}
    assert ("Sign in to your account", None) in found  # {% translate %}
    assert ("Hello, %(name)s", None) in found  # {% blocktranslate with %}
    assert ("%(n)s channel", "%(n)s channels") in found  # {% blocktranslate count %}
    assert ("Account holder", None) in found  # gettext_lazy as _
    assert ("Spanish", None) in found  # settings.py


def test_every_string_in_the_code_is_in_the_catalogue(catalogue):
    known: dict[tuple[str | None, str], polib.POEntry] = {
        (entry.msgctxt, entry.msgid): entry for entry in live_entries(catalogue)
    }
    missing = []
    for message in code_messages():
        entry = known.get((message.msgctxt, message.msgid))
        if entry is None:
            missing.append(message.describe())
        elif (entry.msgid_plural or None) != message.msgid_plural:
            missing.append(f"{message.describe()} has plural {entry.msgid_plural!r} in the .po")
    assert not missing, (
        f"strings not in {CATALOGUE_NAME} "
        "(run makemessages -l es and translate them):\n" + "\n".join(missing)
    )


def test_translation_functions_go_by_names_makemessages_knows():
    """``gettext_lazy as t`` would hide every ``t("...")`` from makemessages (and this test)."""
    hidden = [problem for path in source_files({".py"}) for problem in unknown_aliases(path)]
    advice = "import translation functions as `_` or under their own name"
    assert not hidden, advice + ":\n" + "\n".join(hidden)


@pytest.fixture
def compiled_catalogue(settings) -> None:
    """The .mo the server reads (git-ignored), compiled as `make install` does."""
    compile_catalogues()
    # Re-setting LOCALE_PATHS drops Django's cached catalogues, so a catalogue
    # compiled just now is read even if Spanish was used earlier in this run.
    settings.LOCALE_PATHS = list(settings.LOCALE_PATHS)


@pytest.mark.django_db
@pytest.mark.usefixtures("compiled_catalogue")
def test_sign_in_page_is_in_spanish_for_a_spanish_browser(client, catalogue):
    heading = catalogue.find("Sign in to your account")
    assert heading is not None
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="es">' in page
    assert f"<h1>{heading.msgstr}</h1>" in page
    assert "Sign in to your account" not in page
