"""allauth.mfa hooks: ``MFA_ADAPTER`` and ``MFA_FORMS`` ("authenticate", "reauthenticate",
"activate_totp") point here.

- Staff cannot switch off their last authenticator app or passkey through allauth's
  own pages: the back-office requires one.
- The code forms (signing in, confirming it's you) tell their page which other factors
  the person has, so the page can offer "use a text message instead", put a preferred
  passkey first, and give a recovery code a box of its own (letters, where the app's
  code gets a number pad).
- The code that turns an authenticator app on is spent, like a sign-in code.
- Authenticator-app secrets are sealed at rest (``accounts.sealed``).
"""

from __future__ import annotations

from typing import Any

from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.base.forms import AuthenticateForm as AllauthAuthenticateForm
from allauth.mfa.base.forms import BaseAuthenticateForm
from allauth.mfa.base.forms import ReauthenticateForm as AllauthReauthenticateForm
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.forms import ActivateTOTPForm as AllauthActivateTOTPForm
from allauth.mfa.totp.internal.auth import TOTP
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dropline.accounts import sealed
from dropline.accounts.models import SecondFactorMethod, User
from dropline.identity.factors import listing, sms_codes


class MFAAdapter(DefaultMFAAdapter):
    error_messages = {
        **DefaultMFAAdapter.error_messages,
        "add_email_blocked": _(
            "Your login is protected by two-step verification, so another email "
            "address cannot be added here. Contact us for help."
        ),
        "cannot_generate_recovery_codes": _(
            "Set up an authenticator app or a passkey first; recovery codes back them up."
        ),
        "incorrect_code": _("That code is not right. Check it and try again."),
        "unverified_email": _(
            "Verify your email address before you turn on two-step verification."
        ),
        "cannot_delete_authenticator": _(
            "Staff accounts need an authenticator app or a passkey to open the back-office. "
            "Add another one before removing this one."
        ),
    }

    def encrypt(self, text: str) -> str:
        return sealed.seal(text)

    def decrypt(self, encrypted_text: str) -> str:
        return sealed.unseal(encrypted_text)

    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        user = authenticator.user
        if not user.is_staff:
            return True
        return (
            Authenticator.objects.filter(user_id=user.pk, type__in=listing.APP_OR_PASSKEY)
            .exclude(pk=authenticator.pk)
            .exists()
        )

    def generate_authenticator_name(self, user: Any, type: Authenticator.Type) -> str:
        """ "Passkey 1", "Passkey 2"...: the name offered when adding one."""
        count = Authenticator.objects.filter(user_id=user.pk, type=type).count()
        return gettext("Passkey %(number)d") % {"number": count + 1}


class _CodeForm(BaseAuthenticateForm):
    """What the code page needs to know: which other factors the person has (to offer
    a text message or put a preferred passkey first), and whether the code typed was a
    recovery code (it has letters), so its error shows beside the recovery-code box:
    the app's code has a number pad of its own, a recovery code a keyboard with
    letters."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = self.user
        types: set[str] = set()
        if isinstance(user, User):
            types = set(
                Authenticator.objects.filter(user_id=user.pk).values_list("type", flat=True)
            )
        self.has_authenticator_app = Authenticator.Type.TOTP in types
        self.has_passkey = Authenticator.Type.WEBAUTHN in types
        self.has_recovery_codes = Authenticator.Type.RECOVERY_CODES in types
        self.has_text_message = isinstance(user, User) and sms_codes.has_sms_factor(user=user)
        self.prefers_passkey = (
            self.has_passkey
            and isinstance(user, User)
            and listing.default_method_for(user=user) == SecondFactorMethod.PASSKEY
        )

    @property
    def typed_recovery_code(self) -> bool:
        return any(character.isalpha() for character in str(self.data.get("code", "")))


class AuthenticateForm(_CodeForm, AllauthAuthenticateForm):
    """allauth's form for a code from the authenticator app or a recovery code."""


class ReauthenticateForm(_CodeForm, AllauthReauthenticateForm):
    """allauth's form for confirming it's you with a code, before a security change."""


class ActivateTOTPForm(AllauthActivateTOTPForm):
    """allauth's form for turning the app on, which also spends the code it accepts.

    allauth marks a code used when it signs someone in, but not when it turns the app
    on; without this the same code would work once more in its 30 seconds.
    """

    def clean_code(self) -> str:
        code: str = super().clean_code()
        TOTP(Authenticator(user_id=self.user.pk, type=Authenticator.Type.TOTP))._mark_code_used(
            code
        )
        return code
