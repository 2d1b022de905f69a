"""``{% backoffice_sections as sections %}``: the navigation for the signed-in staff member."""

from __future__ import annotations

from typing import Any

from django import template

from dropline.accounts.models import User
from dropline.backoffice.navigation import NavItem, sections_for

register = template.Library()


@register.simple_tag(takes_context=True)
def backoffice_sections(context: dict[str, Any]) -> list[NavItem]:
    request = context.get("request")
    user = getattr(request, "user", None)
    if not isinstance(user, User) or not user.is_staff:
        return []
    match = getattr(request, "resolver_match", None)
    current = match.url_name if match is not None and match.namespace == "backoffice" else ""
    return sections_for(user, current_page=current or "")
