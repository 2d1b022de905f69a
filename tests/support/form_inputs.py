"""The fields of the portal's forms as a phone sees them: every input, select and text
area of a rendered page, what each field is for (a ``Purpose``: a one-time code, a phone
number, a new password...) and what that purpose asks of its attributes, so that the
phone offers the right keyboard and the browser or password manager fills it in.

``tests/portal/test_form_input_modes.py`` says which field has which purpose and
renders every page with a form; this module reads the pages and judges the fields.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from django.test import Client
from django.urls import Resolver404, resolve

from tests.e2e.crawling import Crawl

# Inputs that are not fields a person fills in.
NOT_FIELDS = {"hidden", "submit", "button", "reset", "image"}


@dataclass(frozen=True)
class Field:
    """One field of a page: its tag, its attributes and where it was found."""

    page: str  # the path, with its query
    page_name: str  # the URL pattern's name, such as "notifications:contacts"
    tag: str  # input, select or textarea
    attrs: dict[str, str]

    @property
    def type(self) -> str:
        if self.tag != "input":
            return self.tag
        return self.attrs.get("type", "text").lower()

    @property
    def key(self) -> str:
        """What the field is known by: its name, or "#id" for one that sends nothing."""
        name = self.attrs.get("name")
        return name if name else "#" + self.attrs.get("id", "?")

    def describe(self) -> str:
        shown = " ".join(
            f'{k}="{v}"'
            for k, v in self.attrs.items()
            if k in ("type", "name", "id", "autocomplete", "inputmode", "pattern")
        )
        return f"<{self.tag} {shown}> on {self.page}"


class _Fields(HTMLParser):
    """The fields and the links of one page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.fields: list[tuple[str, dict[str, str]]] = []
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name.lower(): (value if value is not None else "") for name, value in attrs}
        if tag == "a" and "href" in values and "download" not in values:
            self.links.append(values["href"])
        if tag in ("input", "select", "textarea"):
            if tag == "input" and values.get("type", "text").lower() in NOT_FIELDS:
                return
            if values.get("name") == "csrfmiddlewaretoken":
                return
            self.fields.append((tag, values))


def page_name(path: str) -> str:
    try:
        return resolve(urlsplit(path).path).view_name
    except Resolver404:
        return ""


def fields_of(path: str, html: str) -> tuple[list[Field], list[str]]:
    """The fields of a page and the links on it."""
    parser = _Fields()
    parser.feed(html)
    name = page_name(path)
    return [Field(path, name, tag, attrs) for tag, attrs in parser.fields], parser.links


@dataclass(frozen=True)
class Purpose:
    """What a field is for, and the attributes that tell a phone and a browser.

    ``tag`` and ``types``: the element and the ``type`` it may have. ``attrs``: exact
    values each attribute must have; ``None`` for one that must be absent (no numeric
    keypad for a code with letters). ``matches``/``refuses``: text the field's
    ``pattern`` must accept and refuse, when it must have one."""

    words: str
    tags: tuple[str, ...] = ("input",)
    types: tuple[str, ...] = ("text",)
    attrs: dict[str, str | None] = field(default_factory=dict)
    matches: tuple[str, ...] = ()
    refuses: tuple[str, ...] = ()

    def problems(self, found: Field) -> list[str]:
        wrong: list[str] = []
        if found.tag not in self.tags or (found.tag == "input" and found.type not in self.types):
            wanted = [tag for tag in self.tags if tag != "input"]
            if "input" in self.tags:
                wanted += [f"type={kind}" for kind in self.types]
            wrong.append(f"is a {found.type}, a {self.words} needs {' or '.join(wanted)}")
        for name, value in self.attrs.items():
            has = found.attrs.get(name)
            if value is None and has is not None:
                wrong.append(f'has {name}="{has}", a {self.words} must not')
            elif value is not None and has != value:
                shown = f'{name}="{has}"' if has is not None else f"no {name}"
                wrong.append(f'has {shown}, a {self.words} needs {name}="{value}"')
        if self.matches or self.refuses:
            pattern = found.attrs.get("pattern")
            if pattern is None:
                wrong.append(f"has no pattern, a {self.words} needs one")
            else:
                for text in self.matches:
                    if not re.fullmatch(pattern, text):
                        wrong.append(f'has pattern="{pattern}", which refuses "{text}"')
                for text in self.refuses:
                    if re.fullmatch(pattern, text):
                        wrong.append(f'has pattern="{pattern}", which accepts "{text}"')
        return wrong


@dataclass(frozen=True)
class Row:
    """A field name (a regular expression over the whole name) and its purpose, on every
    page or, with ``page``, on the page of that URL name only; with ``id``, only the
    field of that id (two fields of one name on a page, for two purposes)."""

    name: str
    purpose: Purpose
    page: str | None = None
    id: str | None = None

    def covers(self, found: Field) -> bool:
        if self.page is not None and self.page != found.page_name:
            return False
        if self.id is not None and self.id != found.attrs.get("id"):
            return False
        return re.fullmatch(self.name, found.key) is not None


def classify(rows: list[Row], found: Field) -> Row | None:
    """The row for ``found``: the most particular first (page and id, page, id, none)."""
    for row in sorted(rows, key=lambda r: (r.page is None, r.id is None)):
        if row.covers(found):
            return row
    return None


def judge(rows: list[Row], fields: list[Field]) -> list[str]:
    """One line per field in no row, or whose attributes are wrong for its purpose."""
    problems: list[str] = []
    for found in fields:
        row = classify(rows, found)
        if row is None:
            problems.append(f"{found.describe()}: in no row of the table; say what it is for")
            continue
        problems += [f"{found.describe()}: {wrong}" for wrong in row.purpose.problems(found)]
    return problems


@dataclass
class Pages:
    """The pages rendered so far, with their fields. With ``password``, a page behind
    "confirm it's you" is opened past it, as a person would."""

    fields: list[Field] = field(default_factory=list)
    rendered: set[str] = field(default_factory=set)  # URL names
    password: str | None = None

    def render(self, client: Client, path: str) -> list[str]:
        """GET ``path`` (following redirects); its fields are kept. Returns its links."""
        response = client.get(path, follow=True)
        assert response.status_code == 200, f"GET {path}: {response.status_code}"
        final = response.request["PATH_INFO"]
        asked = page_name(path) != "account_reauthenticate"
        if self.password and asked and page_name(final) == "account_reauthenticate":
            client.post(final, {"password": self.password})
            response = client.get(path, follow=True)
            final = response.request["PATH_INFO"]
        query = response.request.get("QUERY_STRING", "")
        where = final + (f"?{query}" if query else "")
        if "html" not in response.get("Content-Type", ""):
            return []
        found, links = fields_of(where, response.content.decode())
        self.fields += found
        self.rendered.add(page_name(where))
        return [urljoin(where, link) for link in links]

    def crawl(
        self,
        client: Client,
        start: list[str],
        *,
        skipped: tuple[str, ...] = (),
    ) -> list[str]:
        """Every page reachable from ``start`` by GET links, a few of each shape (the
        browser crawl's rules: tests/e2e/crawling.py). Returns the paths opened."""
        origin = "http://testserver"
        rules = Crawl(origin=origin, skipped=skipped, per_shape=2, max_pages=200)
        queue = [origin + path for path in start]
        queued = set(queue)
        opened: list[str] = []
        while queue and len(opened) < rules.max_pages:
            url = queue.pop(0)
            if not rules.admit(url):
                continue
            path = url.removeprefix(origin)
            opened.append(path)
            for link in self.render(client, path):
                target = rules.followable(link if "://" in link else origin + link)
                if target and target not in queued:
                    queued.add(target)
                    queue.append(target)
        return opened
