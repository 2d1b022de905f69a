"""Django's username-and-password check, without looking the login up a second time.

At a sign-in the throttle (``sign_in_throttle.count_account_attempt``) has already
found the login the username names, before the password is checked; this backend
checks the password against that same row instead of reading it again. Any other
call (no sign-in on the request, another username) is Django's ``ModelBackend``.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend as DjangoModelBackend
from django.http import HttpRequest

from dropline.accounts import sign_in_throttle
from dropline.accounts.models import User


class ModelBackend(DjangoModelBackend):
    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        user = sign_in_throttle.looked_up(request, username)
        if user is None:
            found = super().authenticate(request, username=username, password=password, **kwargs)
            return found if isinstance(found, User) else None
        if password is not None and user.check_password(password):
            return user if self.user_can_authenticate(user) else None
        return None
