"""Staff members in one of the back-office roles, with a second factor, signed in."""

from __future__ import annotations

from django.apps import apps
from django.contrib.auth.models import Group

from dropline.accounts.models import User
from dropline.accounts.roles import sync_roles
from tests.support.factories import make_user


def make_staff(
    *, username: str, role: str | None, first_name: str = "", last_name: str = ""
) -> User:
    """An active staff member with an authenticator app, in ``role`` (a group name from
    ``dropline.accounts.roles``; ``None`` for no role)."""
    user = make_user(username=username, is_staff=True, first_name=first_name, last_name=last_name)
    if role is not None:
        group = Group.objects.filter(name=role).first()
        if group is None:
            # A transactional test's flush empties the groups the migrations made (the
            # permissions come back with the flush's post-migrate): make them again.
            sync_roles(apps)
            group = Group.objects.get(name=role)
        user.groups.add(group)
    return user
