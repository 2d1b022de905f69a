"""Who may use the back-office: staff, and for each page, a permission."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from dropline.accounts.second_factor import has_second_factor


def staff_permission_required(
    permission: str,
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Anonymous visitors go to the staff sign-in; signed-in people without the
    permission (customers included) get 403; staff without a second factor are
    sent to set one up."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path(), reverse("backoffice:login"))
            if not (user.is_active and user.is_staff and user.has_perm(permission)):
                raise PermissionDenied
            if not has_second_factor(user):
                messages.warning(
                    request,
                    _(
                        "The back-office needs a second factor. "
                        "Set up an authenticator app or a passkey first."
                    ),
                )
                return redirect_to_login(request.get_full_path(), reverse("mfa_index"), "next")
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
