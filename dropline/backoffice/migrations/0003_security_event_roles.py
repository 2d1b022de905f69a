"""Let customer care and administrators search security events."""

from typing import Any

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations

from dropline.accounts.roles import sync_roles


def grant_security_event_permissions(apps: Any, schema_editor: Any) -> None:
    create_permissions(global_apps.get_app_config("accounts"), verbosity=0, apps=apps)
    sync_roles(apps)


def revoke_security_event_permissions(apps: Any, schema_editor: Any) -> None:
    from dropline.accounts.roles import ADMINISTRATOR, ROLE_PERMISSIONS

    permission = apps.get_model("auth", "Permission").objects.filter(
        content_type__app_label="accounts", codename="view_securityevent"
    )
    for group in apps.get_model("auth", "Group").objects.filter(
        name__in=[*ROLE_PERMISSIONS, ADMINISTRATOR]
    ):
        group.permissions.remove(*permission)


class Migration(migrations.Migration):
    dependencies = [
        ("backoffice", "0002_notification_roles"),
        ("accounts", "0003_security_events"),
    ]
    operations = [
        migrations.RunPython(grant_security_event_permissions, revoke_security_event_permissions)
    ]
