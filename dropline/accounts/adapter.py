"""django-allauth hooks for Dropline."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        """Customers get a login by claiming an existing account, never by open sign-up."""
        return False
