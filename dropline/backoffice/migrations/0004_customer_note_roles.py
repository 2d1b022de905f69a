"""Let customer care, billing and administrators add internal notes to an account."""

from typing import Any

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations

from dropline.accounts.roles import sync_roles


def grant_note_permissions(apps: Any, schema_editor: Any) -> None:
    create_permissions(global_apps.get_app_config("customers"), verbosity=0, apps=apps)
    sync_roles(apps)


def revoke_note_permissions(apps: Any, schema_editor: Any) -> None:
    from dropline.accounts.roles import ADMINISTRATOR, ROLE_PERMISSIONS

    permission = apps.get_model("auth", "Permission").objects.filter(
        content_type__app_label="customers", codename="add_customernote"
    )
    for group in apps.get_model("auth", "Group").objects.filter(
        name__in=[*ROLE_PERMISSIONS, ADMINISTRATOR]
    ):
        group.permissions.remove(*permission)


class Migration(migrations.Migration):
    dependencies = [
        ("backoffice", "0003_security_event_roles"),
        ("customers", "0005_customer_notes"),
    ]
    operations = [migrations.RunPython(grant_note_permissions, revoke_note_permissions)]
