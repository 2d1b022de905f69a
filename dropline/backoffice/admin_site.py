from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _


class BackofficeAdminSite(admin.AdminSite):
    site_header = _("Dropline back-office: records")
    site_title = _("Dropline back-office")
    index_title = _("Records")

    def login(self, request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
        """One sign-in for staff, with allauth's rate limits: the back-office's."""
        target = request.GET.get("next") or reverse("admin:index")
        return redirect(f"{reverse('backoffice:login')}?{urlencode({'next': target})}")
