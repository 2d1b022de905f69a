"""Staff members in one of the back-office roles, with a second factor, signed in."""

from __future__ import annotations

from django.contrib.auth.models import Group

from dropline.accounts.models import User
from tests.support.factories import make_user


def make_staff(
    *, username: str, role: str | None, first_name: str = "", last_name: str = ""
) -> User:
    """An active staff member with an authenticator app, in ``role`` (a group name from
    ``dropline.accounts.roles``; ``None`` for no role)."""
    user = make_user(username=username, is_staff=True, first_name=first_name, last_name=last_name)
    if role is not None:
        user.groups.add(Group.objects.get(name=role))
    return user
