"""Add the Technician role: a technician marks the steps of their own visits (on the way,
arrived, completed, missed) and sees nothing else; administrators get the permission too."""

from typing import Any

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations

from dropline.accounts.roles import sync_roles


def grant_technician_permissions(apps: Any, schema_editor: Any) -> None:
    create_permissions(global_apps.get_app_config("field"), verbosity=0, apps=apps)
    sync_roles(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("backoffice", "0015_helpdesk_field_roles"),
        ("field", "0002_work_own_visits"),
    ]
    operations = [migrations.RunPython(grant_technician_permissions, migrations.RunPython.noop)]
