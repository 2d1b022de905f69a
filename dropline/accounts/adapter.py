"""django-allauth hooks for Dropline."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from dropline.accounts import security_events

# allauth's stages that Dropline replaces with its own (``dropline.accounts.stages``).
_REPLACED_STAGES = {
    "allauth.mfa.stages.AuthenticateStage": [
        "dropline.accounts.stages.AuthenticateStage",
        "dropline.accounts.stages.SmsAuthenticateStage",
    ],
    "allauth.mfa.stages.TrustStage": ["dropline.accounts.stages.TrustStage"],
}


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        """Customers get a login by claiming an existing account, never by open sign-up."""
        return False

    def get_login_stages(self) -> list[str]:
        """allauth's stages, with the second factor able to be a text message."""
        stages: list[str] = []
        for path in super().get_login_stages():
            stages.extend(_REPLACED_STAGES.get(path, [path]))
        return stages

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        """allauth's failed-sign-in limit, recorded as a lockout when it refuses."""
        try:
            super().pre_authenticate(request, **credentials)
        except ValidationError:
            login = credentials.get("username") or credentials.get("email") or ""
            security_events.throttled(request=request, login=str(login))
            raise

    def confirm_email(self, request: HttpRequest, email_address: EmailAddress) -> bool:
        """A confirmed sign-in e-mail also becomes the person's first notification contact."""
        from dropline.customers.claiming import on_email_confirmed

        confirmed = super().confirm_email(request, email_address)
        if confirmed:
            on_email_confirmed(user=email_address.user, email=email_address.email)
        return bool(confirmed)
