"""``{% support_contact as support %}``: the provider's contact details in the language
a message is being rendered in (email and text messages have no request context)."""

from __future__ import annotations

from django import template

from dropline.core.support import SupportContact, support_contact

register = template.Library()


@register.simple_tag(name="support_contact")
def support_contact_tag() -> SupportContact:
    return support_contact()
