"""Give the staff roles the payment pages: customer care reads payments and the saved
methods' last four digits; billing also refunds; administrators may do all of it."""

from typing import Any

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations

from dropline.accounts.roles import sync_roles


def grant_payment_permissions(apps: Any, schema_editor: Any) -> None:
    create_permissions(global_apps.get_app_config("payments"), verbosity=0, apps=apps)
    sync_roles(apps)


def revoke_payment_permissions(apps: Any, schema_editor: Any) -> None:
    from dropline.accounts.roles import ADMINISTRATOR, ROLE_PERMISSIONS

    permissions = apps.get_model("auth", "Permission").objects.filter(
        content_type__app_label="payments"
    )
    for group in apps.get_model("auth", "Group").objects.filter(
        name__in=[*ROLE_PERMISSIONS, ADMINISTRATOR]
    ):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("backoffice", "0008_price_roles"),
        # The roles list the disputes' and collections' permissions too: their tables
        # come first.
        ("payments", "0004_disputes"),
    ]
    operations = [migrations.RunPython(grant_payment_permissions, revoke_payment_permissions)]
