"""The demo the test fixtures copy back is the demo the seeding loads.

``demo`` and ``demo_site`` load the demo for real once per test process and copy that
back for the later tests (tests/support/demo_snapshot.py). Here a copy is compared
with a fresh load: every table's rows, the household's records under their keys, the
counters, the sequences and the emails sent; and, for a test whose writes commit,
after the flush that empties the database between such tests.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.core import mail
from django.core.management import call_command
from django.db import transaction

from dropline.accounts.models import User
from dropline.accounts.roles import sync_roles
from dropline.billing.models import Invoice, InvoiceLine
from dropline.config import VAR_DIR
from dropline.core.models import NumberSequence
from dropline.ledger.models import JournalEntry
from dropline.seeding.demo import load_demo
from dropline.seeding.demo.household import loaded_account
from dropline.usage.models import UsageDay
from tests.support import demo_snapshot, tables


def describe(*, keys: bool = True) -> dict[str, Any]:
    """What a test of the demo sees: each table's number of rows, and the household's
    records (with their primary keys unless ``keys`` is False)."""
    account = loaded_account()
    assert account is not None

    def rows(queryset: Any, *fields: str) -> list[tuple[Any, ...]]:
        return list(queryset.order_by("pk").values_list(*(("pk",) if keys else ()), *fields))

    return {
        "rows": tables.row_counts(tables.table_names()),
        "account": (account.pk if keys else None, account.number, account.opened_on),
        "users": rows(User.objects, "username", "email", "is_staff", "is_superuser"),
        "invoices": rows(Invoice.objects, "number", "issued_on", "total_cents", "status"),
        "lines": rows(InvoiceLine.objects, "invoice__number", "label", "amount_cents"),
        "ledger": rows(JournalEntry.objects, "book", "sub", "amount_cents"),
        "usage": rows(
            UsageDay.objects, "subscription__label", "day", "input_bytes", "output_bytes"
        ),
        "counters": sorted(NumberSequence.objects.values_list("name", "next_value")),
        "emails": sorted((m.subject, tuple(m.to)) for m in mail.outbox),
    }


def written_files() -> set[tuple[str, float]]:
    """Every file under the data directory (uploads, invoices, media) and its mtime."""
    return {
        (str(path), path.stat().st_mtime)
        for path in Path(VAR_DIR).rglob("*")
        if path.is_file() and "static" not in path.parts
    }


def in_a_rolled_back_transaction(step: Any) -> Any:
    with transaction.atomic():
        mail.outbox.clear()
        seen = step()
        transaction.set_rollback(True)
    return seen


@pytest.mark.django_db
def test_a_copied_demo_is_the_demo_loaded_afresh() -> None:
    demo_snapshot.forget()
    sequences = tables.read_sequences()
    loads, restores = demo_snapshot.stats["loads"], demo_snapshot.stats["restores"]

    def first() -> dict[str, Any]:
        files = written_files()
        demo_snapshot.load_demo_data(load_demo)
        # The copy holds the database, the emails and the cache: the load writes no file.
        assert written_files() == files
        return {**describe(), "sequences": tables.read_sequences()}

    def copied() -> dict[str, Any]:
        demo_snapshot.load_demo_data(load_demo)
        return {**describe(), "sequences": tables.read_sequences()}

    def fresh() -> dict[str, Any]:
        tables.set_sequences(sequences)  # where the first load started
        load_demo()
        return {**describe(), "sequences": tables.read_sequences()}

    loaded = in_a_rolled_back_transaction(first)
    again = in_a_rolled_back_transaction(copied)
    afresh = in_a_rolled_back_transaction(fresh)

    assert demo_snapshot.stats["loads"] == loads + 1
    assert demo_snapshot.stats["restores"] == restores + 1
    assert loaded["rows"]["billing_invoice"] >= 13
    assert loaded["emails"]
    assert again == loaded
    assert afresh == loaded


@pytest.mark.django_db(transaction=True)
def test_after_a_flush_the_copy_puts_back_the_demo_and_what_the_migrations_made() -> None:
    """As ``demo_site`` does between browser tests: the flush empties every table and
    writes the content types and permissions again under new keys."""

    def site() -> dict[str, Any]:
        call_command("flush", verbosity=0, interactive=False, reset_sequences=False)
        sync_roles(apps)
        mail.outbox.clear()
        restores = demo_snapshot.stats["restores"]
        demo_snapshot.load_demo_data(load_demo)
        return {
            **describe(),
            "copied": demo_snapshot.stats["restores"] > restores,
            "roles": sorted(
                (group.name, sorted(group.permissions.values_list("codename", flat=True)))
                for group in apps.get_model("auth", "Group").objects.all()
            ),
        }

    demo_snapshot.forget()
    loaded = site()
    again = site()
    assert not loaded.pop("copied")
    assert again.pop("copied")
    assert again == loaded

    call_command("flush", verbosity=0, interactive=False, reset_sequences=False)
    sync_roles(apps)
    mail.outbox.clear()
    load_demo()
    assert describe(keys=False) == describe_keyless(loaded)


def describe_keyless(seen: dict[str, Any]) -> dict[str, Any]:
    """``seen`` without primary keys, as ``describe(keys=False)`` gives it."""
    return {
        name: (
            [row[1:] for row in value]
            if name in {"users", "invoices", "lines", "ledger", "usage"}
            else (None, *value[1:])
            if name == "account"
            else value
        )
        for name, value in seen.items()
        if name != "roles"
    }
