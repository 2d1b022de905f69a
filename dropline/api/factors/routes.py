"""allauth headless's app endpoints for removing an authenticator app or passkeys, with
Dropline's last-factor rules in front.

``DELETE /_allauth/app/v1/account/authenticators/totp`` and ``.../webauthn`` are
allauth's views (``dropline/urls.py`` routes those two addresses here first). Before
allauth removes anything, the same rules as the web's removal page apply
(``factor_removal.removal_of_several``):

- the last second factor goes only when the JSON body says ``"confirm_last": true``;
  otherwise 400 with ``param`` ``confirm_last`` and nothing changes;
- staff never remove their last authenticator app or passkey: 409.

Then allauth's own view does the removal, so its re-authentication check, signals
(and Dropline's security events) and clean-up happen as for any other removal.
Errors are in allauth's shape: ``{"status", "errors": [{"message", "code", "param"}]}``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial
from http import HTTPStatus
from typing import Any

from allauth.headless.constants import Client
from allauth.headless.internal.restkit.response import APIResponse
from allauth.headless.mfa import views as allauth_views
from allauth.mfa.models import Authenticator
from django.db import transaction
from django.http import HttpRequest, HttpResponseBase
from django.utils.translation import gettext as _

from dropline.accounts.requests import signed_in_user
from dropline.identity.factors import removal as factor_removal

CONFIRM_LAST = "confirm_last"


def _refused(request: HttpRequest, status: int, *, code: str, message: str) -> APIResponse:
    error = {"message": message, "code": code}
    if status == HTTPStatus.BAD_REQUEST:
        error["param"] = CONFIRM_LAST
    return APIResponse(request, errors=[error], status=status)


def _remove_within_rules(
    request: HttpRequest,
    data: dict[str, Any] | None,
    authenticators: Iterable[Authenticator],
    remove: Callable[[], HttpResponseBase],
) -> HttpResponseBase:
    """Call ``remove`` (allauth's removal) if Dropline's rules allow it."""
    user = signed_in_user(request)
    confirmed = (data or {}).get(CONFIRM_LAST) is True
    with transaction.atomic():
        factor_removal.lock_factors(user)
        removal = factor_removal.removal_of_several(
            user=user, factors=[(a.type, a.pk) for a in authenticators]
        )
        if removal.blocked_reason is not None:
            return _refused(
                request,
                HTTPStatus.CONFLICT,
                code="staff_need_authenticator",
                message=removal.blocked_reason,
            )
        if removal.is_last and not confirmed:
            return _refused(
                request,
                HTTPStatus.BAD_REQUEST,
                code="last_second_factor",
                message=_(
                    "This is your last second factor. Confirm that your account will be "
                    "protected by the password alone."
                ),
            )
        return remove()


class ManageTOTPView(allauth_views.ManageTOTPView):
    def delete(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        authenticator = self._get_authenticator()
        remove = partial(super().delete, request, *args, **kwargs)
        if authenticator is None:
            return remove()
        return _remove_within_rules(request, self.data, [authenticator], remove)


class ManageWebAuthnView(allauth_views.ManageWebAuthnView):
    def delete(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        remove = partial(super().delete, request, *args, **kwargs)
        return _remove_within_rules(
            request, self.data, self.input.cleaned_data["authenticators"], remove
        )


manage_totp = ManageTOTPView.as_api_view(client=Client.APP)
manage_webauthn = ManageWebAuthnView.as_api_view(client=Client.APP)
