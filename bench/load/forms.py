"""The forms of a page, read the way a browser submits them (stdlib HTML parser only)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Field:
    name: str
    kind: str  # the input's type, "select" or "textarea"
    value: str
    checked: bool = False
    disabled: bool = False


@dataclass
class Form:
    action: str
    method: str
    fields: list[Field] = field(default_factory=list)

    def values(self) -> list[tuple[str, str]]:
        """What submitting the form as shown sends (ticked boxes, chosen radios)."""
        sent = []
        for f in self.fields:
            if f.disabled or not f.name or f.kind in {"submit", "button", "file"}:
                continue
            if f.kind in {"checkbox", "radio"} and not f.checked:
                continue
            sent.append((f.name, f.value))
        return sent

    def choices(self, name: str) -> list[str]:
        """The values offered for a radio or checkbox group."""
        return [f.value for f in self.fields if f.name == name and not f.disabled]

    def value(self, name: str) -> str | None:
        return next((v for n, v in self.values() if n == name), None)


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: Field | None = None
        self._first_option: str | None = None
        self._option: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v or "") for k, v in attrs}
        if tag == "form":
            self._form = Form(action=a.get("action", ""), method=a.get("method", "get").lower())
            self.forms.append(self._form)
            return
        if self._form is None:
            return
        disabled = "disabled" in a
        if tag == "input":
            kind = a.get("type", "text").lower()
            value = a.get("value", "on" if kind in {"checkbox", "radio"} else "")
            self._form.fields.append(
                Field(a.get("name", ""), kind, value, "checked" in a, disabled)
            )
        elif tag == "textarea":
            self._form.fields.append(Field(a.get("name", ""), "textarea", "", False, disabled))
        elif tag == "select":
            self._select = Field(a.get("name", ""), "select", "", False, disabled)
            self._first_option = None
            self._form.fields.append(self._select)
        elif tag == "option" and self._select is not None:
            value = a.get("value", "")
            if self._first_option is None:
                self._first_option = value
                self._select.value = value
            if "selected" in a:
                self._select.value = value

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def forms(page: str) -> list[Form]:
    parser = _Parser()
    parser.feed(page)
    parser.close()
    return parser.forms


def form_for(page: str, action: str) -> Form | None:
    """The form posting to ``action`` (a path), if the page has one."""
    return next((f for f in forms(page) if f.action == action), None)


_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def csrf_token(page: str) -> str | None:
    match = _CSRF.search(page)
    return match.group(1) if match else None
