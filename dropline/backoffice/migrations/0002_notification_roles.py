"""Give the staff roles their notification permissions (message log, SMS inbox, announcements)."""

from typing import Any

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations

from dropline.accounts.roles import sync_roles


def grant_notification_permissions(apps: Any, schema_editor: Any) -> None:
    # Permissions are normally made after all migrations; make them now so the
    # groups can hold them on a fresh database.
    create_permissions(global_apps.get_app_config("notifications"), verbosity=0, apps=apps)
    sync_roles(apps)


def revoke_notification_permissions(apps: Any, schema_editor: Any) -> None:
    from dropline.accounts.roles import ADMINISTRATOR, ROLE_PERMISSIONS

    permission_model = apps.get_model("auth", "Permission")
    notification_permissions = permission_model.objects.filter(
        content_type__app_label="notifications"
    )
    for group in apps.get_model("auth", "Group").objects.filter(
        name__in=[*ROLE_PERMISSIONS, ADMINISTRATOR]
    ):
        group.permissions.remove(*notification_permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("backoffice", "0001_staff_roles"),
        ("notifications", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(grant_notification_permissions, revoke_notification_permissions)
    ]
