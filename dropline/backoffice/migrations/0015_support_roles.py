"""Give the roles the support and field permissions their jobs need: Customer care answers
tickets, edits help articles and books visits; Billing answers tickets; Field dispatch runs
technicians, capacity and the day's visits; administrators every one."""

from typing import Any

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations

from dropline.accounts.roles import sync_roles


def grant_support_permissions(apps: Any, schema_editor: Any) -> None:
    for label in ("field", "support"):
        create_permissions(global_apps.get_app_config(label), verbosity=0, apps=apps)
    sync_roles(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("backoffice", "0014_network_roles"),
        ("field", "0001_initial"),
        ("support", "0001_initial"),
    ]
    operations = [migrations.RunPython(grant_support_permissions, migrations.RunPython.noop)]
