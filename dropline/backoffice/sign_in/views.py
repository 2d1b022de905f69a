"""The staff sign-in: allauth's, for staff only, landing in the back-office."""

from __future__ import annotations

from typing import Any

from allauth.account.views import LoginView
from django.http import HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _


class StaffLoginView(LoginView):
    """allauth's sign-in (same rate limits), landing in the back-office."""

    template_name = "backoffice/sign_in/login.html"

    def form_valid(self, form: Any) -> HttpResponse:
        """Only staff sign in here; customers are told where their sign-in is."""
        if not form.user.is_staff:
            form.add_error(
                None, _("This sign-in is for staff. Customers sign in on the home page.")
            )
            return self.form_invalid(form)
        return super().form_valid(form)

    def get_success_url(self) -> str:
        return self.get_next_url() or reverse("backoffice:search")
