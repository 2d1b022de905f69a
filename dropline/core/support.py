"""The provider's contact details, configured once (``DROPLINE_SUPPORT_*`` and
``DROPLINE_HELP_URL``) and shown in the portal's footer, on pages that say "contact
us" and in security alerts."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import get_language

from dropline.core.phones import display_phone


@dataclass(frozen=True)
class SupportContact:
    phone: str  # E.164, for tel: links
    phone_display: str
    hours: str
    address: str
    help_url: str

    @property
    def configured(self) -> bool:
        return bool(self.phone or self.hours or self.address or self.help_url)


def support_contact(language: str | None = None) -> SupportContact:
    """The configured details, with the opening hours in ``language`` (the active
    language by default) when the provider gave them in it."""
    language = (language or get_language() or settings.LANGUAGE_CODE).split("-")[0]
    hours = settings.DROPLINE_SUPPORT_HOURS
    if language == "es" and settings.DROPLINE_SUPPORT_HOURS_ES:
        hours = settings.DROPLINE_SUPPORT_HOURS_ES
    phone = settings.DROPLINE_SUPPORT_PHONE
    return SupportContact(
        phone=phone,
        phone_display=display_phone(phone),
        hours=hours,
        address=settings.DROPLINE_SUPPORT_ADDRESS,
        help_url=settings.DROPLINE_HELP_URL,
    )
