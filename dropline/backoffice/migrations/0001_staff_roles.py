"""Create the staff role groups with their permissions."""

from typing import Any

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations

from dropline.accounts.roles import ADMIN_APPS, sync_roles


def create_roles(apps: Any, schema_editor: Any) -> None:
    # Permissions are normally made after all migrations; make them now so the
    # groups can hold them on a fresh database.
    for label in ADMIN_APPS:
        create_permissions(global_apps.get_app_config(label), verbosity=0, apps=apps)
    sync_roles(apps)


def remove_roles(apps: Any, schema_editor: Any) -> None:
    from dropline.accounts.roles import ADMINISTRATOR, ROLE_PERMISSIONS

    apps.get_model("auth", "Group").objects.filter(
        name__in=[*ROLE_PERMISSIONS, ADMINISTRATOR]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0001_initial"),
        ("accounts", "0001_initial"),
        ("customers", "0001_initial"),
        ("catalog", "0001_initial"),
        ("subscriptions", "0001_initial"),
        ("network", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
