"""Authenticator-app secrets sealed, and allauth's seed-based recovery codes turned into
hashes of the same codes (see ``accounts.sealed`` and ``accounts.recovery_codes``)."""

from typing import Any

from django.db import migrations


def seal_secrets(apps: Any, schema_editor: Any) -> None:
    from dropline.accounts import recovery_codes, sealed

    Authenticator = apps.get_model("mfa", "Authenticator")
    for authenticator in Authenticator.objects.filter(type__in=["totp", "recovery_codes"]):
        data = authenticator.data
        if authenticator.type == "totp" and not sealed.is_sealed(data["secret"]):
            data["secret"] = sealed.seal(data["secret"])
        elif authenticator.type == "recovery_codes" and "hashes" not in data:
            authenticator.data = recovery_codes.from_legacy(data)
        else:
            continue
        authenticator.save(update_fields=["data"])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_security_events"),
        ("mfa", "0003_authenticator_type_uniq"),
    ]

    operations = [migrations.RunPython(seal_secrets, migrations.RunPython.noop)]
