"""Django's admin for staff records, behind the same gate as the back-office pages."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from django.conf import settings
from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from dropline.backoffice import access

ViewT = TypeVar("ViewT", bound=Callable[..., Any])


class BackofficeAdminSite(admin.AdminSite):
    """The admin in the back-office's name: the provider's brand, and "View site" back
    to the back-office's home rather than to the customer portal."""

    index_title = _("Back-office records")
    site_url = "/backoffice/"

    def each_context(self, request: HttpRequest) -> dict[str, Any]:
        context = super().each_context(request)
        brand = _("%(provider)s back-office") % {"provider": settings.DROPLINE_PROVIDER_NAME}
        context["site_header"] = brand
        context["site_title"] = brand
        return context

    def has_permission(self, request: HttpRequest) -> bool:
        """The back-office's rule: active staff with a second factor. Django asks this
        before every admin view and when it builds the index and the menus."""
        return access.may_use_staff_surfaces(request.user)

    def admin_view(self, view: ViewT, cacheable: bool = False) -> ViewT:
        """Every admin page (index, lists, change forms, autocomplete, history...) is
        refused as a back-office page is: sign-in for anonymous visitors, 403 for
        people who are not staff, second-factor setup for staff without one. Django's
        own refusal (a redirect to the admin sign-in) would send staff without a
        second factor back here in a loop."""
        admitted = super().admin_view(view, cacheable)

        @wraps(admitted)
        def gate(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.path != reverse("admin:logout", current_app=self.name):
                refused = access.refusal(request)
                if refused is not None:
                    return refused
            return admitted(request, *args, **kwargs)

        return cast("ViewT", gate if cacheable else never_cache(gate))

    def password_change(  # type: ignore[override]  # a redirect, not Django's form page
        self, request: HttpRequest, extra_context: dict | None = None
    ) -> HttpResponse:
        """Staff change their password where everyone does, with its checks and alerts."""
        return redirect("account_change_password")

    def login(self, request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
        """One sign-in for staff, with allauth's rate limits: the back-office's."""
        target = request.GET.get("next") or reverse("admin:index")
        return redirect(f"{reverse('backoffice:login')}?{urlencode({'next': target})}")
