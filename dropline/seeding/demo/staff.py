"""Demo staff: an administrator and one person for each other role (the technician is
linked to the demo's technician in ``appointments.py``)."""

from __future__ import annotations

import base64
import hashlib

from django.contrib.auth.models import Group

from dropline.accounts import roles
from dropline.accounts.second_factor import enrol_authenticator_app
from dropline.seeding.demo.household import ensure_user

STAFF = [
    ("admin", "dropline-admin", "Alex", "Admin", roles.ADMINISTRATOR, True),
    ("care", "dropline-care-demo", "Casey", "Care", roles.CUSTOMER_CARE, False),
    ("billing", "dropline-billing-demo", "Bailey", "Billing", roles.BILLING, False),
    ("dispatch", "dropline-dispatch-demo", "Drew", "Dispatch", roles.FIELD_DISPATCH, False),
    ("technician", "dropline-technician-demo", "Rosa", "Alvarez", roles.TECHNICIAN, False),
]
# The demo technician's sign-in: ``appointments.TECHNICIANS``'s first, who has the upcoming
# visit.
TECHNICIAN_USERNAME = "technician"


def demo_totp_secret(username: str) -> str:
    """A published, deterministic authenticator secret: demo staff only, never real ones."""
    digest = hashlib.sha256(f"dropline-demo-staff:{username}".encode()).digest()[:20]
    return base64.b32encode(digest).decode()


def load() -> int:
    created = 0
    for username, password, first, last, role, superuser in STAFF:
        user, was_created = ensure_user(
            username=username,
            password=password,
            email=f"{username}@staff.example.com",
            first_name=first,
            last_name=last,
            is_staff=True,
            is_superuser=superuser,
        )
        if was_created:
            user.groups.add(Group.objects.get(name=role))
        # The back-office needs a second factor; demo staff get an authenticator
        # app whose codes `dropline democode <username>` prints.
        enrol_authenticator_app(user=user, secret=demo_totp_secret(username))
        created += int(was_created)
    return created
