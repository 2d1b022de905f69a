"""What a provider tells its customers about, and by which channels."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    BILLING = "billing", _("Bills")
    PAYMENTS = "payments", _("Payments")
    USAGE = "usage", _("Usage alerts")
    SERVICE = "service", _("Service changes")
    APPOINTMENTS = "appointments", _("Appointments")
    SUPPORT = "support", _("Support requests")
    OUTAGES = "outages", _("Outages and maintenance")
    OFFERS = "offers", _("Offers and news")
    SECURITY = "security", _("Account security")


class Channel(models.TextChoices):
    EMAIL = "email", _("Email")
    SMS = "sms", _("Text message")
    IN_APP = "in_app", _("In the portal")
    PUSH = "push", _("Push notification")


# Sensible defaults: everything by email and in the portal, SMS for what is
# urgent; offers only when the customer opts in. Push goes wherever the portal does,
# and only to the browsers where the person turned push notifications on (none until
# they do), so the default costs nothing until they ask for it.
DEFAULTS: dict[str, set[str]] = {
    Category.BILLING: {Channel.EMAIL, Channel.IN_APP, Channel.PUSH},
    Category.PAYMENTS: {Channel.EMAIL, Channel.IN_APP, Channel.PUSH},
    Category.USAGE: {Channel.EMAIL, Channel.SMS, Channel.IN_APP, Channel.PUSH},
    Category.SERVICE: {Channel.EMAIL, Channel.IN_APP, Channel.PUSH},
    Category.APPOINTMENTS: {Channel.EMAIL, Channel.SMS, Channel.IN_APP, Channel.PUSH},
    Category.SUPPORT: {Channel.EMAIL, Channel.IN_APP, Channel.PUSH},
    Category.OUTAGES: {Channel.EMAIL, Channel.SMS, Channel.IN_APP, Channel.PUSH},
    Category.OFFERS: set(),
    Category.SECURITY: {Channel.EMAIL, Channel.SMS, Channel.IN_APP, Channel.PUSH},
}

# Security alerts cannot be switched off, skip quiet hours and carry no unsubscribe link.
ESSENTIAL = {Category.SECURITY}
