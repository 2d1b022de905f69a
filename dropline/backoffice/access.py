"""Who may use the staff surfaces (the back-office pages and the records admin):
active staff who have a second factor, and for each page, a permission.

One rule serves both surfaces: ``staff_permission_required`` guards the back-office
views, and the admin site (``admin_site.py``) asks ``may_use_staff_surfaces`` and
answers a refusal with ``refusal``, so a staff member with a password alone is sent
to set up a second factor wherever they go.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from dropline.accounts.models import User
from dropline.accounts.second_factor import has_second_factor


def _is_staff_with(user: User | AnonymousUser, permission: str | None) -> bool:
    return bool(
        user.is_authenticated
        and user.is_active
        and user.is_staff
        and (permission is None or user.has_perm(permission))
    )


def may_use_staff_surfaces(user: User | AnonymousUser, *, permission: str | None = None) -> bool:
    """Active staff with a second factor (and ``permission``, when one is named)."""
    return isinstance(user, User) and _is_staff_with(user, permission) and has_second_factor(user)


def refusal(request: HttpRequest, *, permission: str | None = None) -> HttpResponse | None:
    """``None`` when ``request.user`` may open a staff page needing ``permission``
    (``None``: any staff page). Otherwise the answer: anonymous visitors go to the
    staff sign-in; signed-in people who are not staff or lack the permission
    (customers included) get 403; staff without a second factor are sent to set
    one up, and come back afterwards."""
    user = request.user
    if may_use_staff_surfaces(user, permission=permission):
        return None
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path(), reverse("backoffice:login"))
    if not _is_staff_with(user, permission):
        raise PermissionDenied
    messages.warning(
        request,
        _("The back-office needs a second factor. Set up an authenticator app or a passkey first."),
    )
    return redirect_to_login(request.get_full_path(), reverse("mfa_index"), "next")


def staff_permission_required(
    permission: str,
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """A back-office view for staff with ``permission`` and a second factor
    (see ``refusal`` for everyone else)."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            refused = refusal(request, permission=permission)
            if refused is not None:
                return refused
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
