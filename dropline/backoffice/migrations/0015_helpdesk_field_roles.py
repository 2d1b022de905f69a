"""Give the roles the help-desk and field permissions their jobs need: Customer care answers
tickets, edits help articles and books visits; Billing answers tickets; Field dispatch runs
technicians, capacity and the day's visits; administrators every one."""

from typing import Any

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations

from dropline.accounts.roles import sync_roles


def grant_helpdesk_field_permissions(apps: Any, schema_editor: Any) -> None:
    for label in ("field", "helpdesk"):
        create_permissions(global_apps.get_app_config(label), verbosity=0, apps=apps)
    sync_roles(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("backoffice", "0014_network_roles"),
        ("field", "0001_initial"),
        ("helpdesk", "0001_initial"),
        ("notifications", "0004_message_attachments_support_category"),
    ]
    operations = [migrations.RunPython(grant_helpdesk_field_permissions, migrations.RunPython.noop)]
