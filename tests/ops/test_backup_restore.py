"""The backup and restore commands of docs/OPERATIONS.md, run as written: a database
with accounts, bills and ledger postings is dumped, restored into a new database with
its ``var/`` files, and the copy has the same accounts, invoices and books, passes
``dropline migrate --check`` and ``dropline ledger check``."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.db import connections

from dropline.billing.bill_runs import run_bill_run
from dropline.billing.models import Invoice
from dropline.core import clock
from dropline.ledger.models import JournalEntry
from tests.support.bill_runs import billable_accounts
from tests.support.billing import at, iowa_tax_table
from tests.support.catalog import make_catalog

pytestmark = pytest.mark.postgres

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "OPERATIONS.md"

# Totals compared between the original and the copy, straight from the tables.
FACTS = {
    "accounts": "SELECT COUNT(*), COALESCE(SUM(id), 0) FROM customers_customeraccount",
    "invoices": "SELECT COUNT(*), COALESCE(SUM(total_cents), 0) FROM billing_invoice",
    "lines": "SELECT COUNT(*), COALESCE(SUM(amount_cents), 0) FROM billing_invoiceline",
    "ledger": (
        "SELECT book, sub, SUM(amount_cents), COUNT(*) FROM ledger_journalentry "
        "GROUP BY book, sub ORDER BY book, sub"
    ),
}


def commands(name: str) -> list[str]:
    """The lines of the fenced block after ``<!-- commands: name -->``."""
    text = DOC.read_text()
    match = re.search(rf"<!-- commands: {name} -->\n```sh\n(.*?)\n```", text, re.S)
    assert match, f"docs/OPERATIONS.md has no `commands: {name}` block"
    return [line for line in match.group(1).splitlines() if line.strip()]


def url_of(database: str) -> str:
    db = settings.DATABASES["default"]
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return (
        f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{database}"
    )


def facts(url: str) -> dict[str, list[tuple[object, ...]]]:
    with psycopg.connect(url) as conn:
        return {name: conn.execute(sql).fetchall() for name, sql in FACTS.items()}


def run(lines: list[str], env: dict[str, str], cwd: Path) -> None:
    for line in lines:
        result = subprocess.run(
            ["bash", "-euo", "pipefail", "-c", line],
            env=env,
            cwd=cwd,
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, f"{line}\n{result.stdout}\n{result.stderr}"


def test_the_documented_backup_restores_into_an_identical_database(
    transactional_db, tmp_path: Path
):
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip("the commands are PostgreSQL's")
    iowa_tax_table()
    catalog = make_catalog()
    billable_accounts(catalog, count=6, opened_on=dt.date(2026, 1, 5))
    with clock.frozen(at(dt.date(2026, 2, 5))):
        run_bill_run(run_on=dt.date(2026, 2, 5), in_process=True)
    assert Invoice.objects.count() == 6
    assert JournalEntry.objects.exists()

    source = settings.DATABASES["default"]["NAME"]
    restored = f"{source}_restored"
    var_dir = tmp_path / "var"
    (var_dir / "uploads" / "disputes").mkdir(parents=True)
    (var_dir / "static").mkdir()
    key = "-----BEGIN PRIVATE KEY-----\nnot-a-real-key\n-----END PRIVATE KEY-----\n"
    (var_dir / "vapid_private_key.pem").write_text(key)
    (var_dir / "uploads" / "disputes" / "receipt.pdf").write_bytes(b"%PDF-1.4 a receipt")
    (var_dir / "static" / "app.css").write_text("body{}")
    backup_dir = tmp_path / "backup-2026-02-05"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "dropline.settings",
        "SECRET_KEY": "backup-restore-test-secret-key-0123456789-0123456789",
        "ALLOWED_HOSTS": "localhost",
        "DROPLINE_HTTPS": "0",
        "DATABASE_URL": url_of(source),
        "DATABASE_POOL": "false",
        "BACKUP_DIR": str(backup_dir),
        "DROPLINE_VAR_DIR": str(var_dir),
        "RESTORE_DB": restored,
        "RESTORE_URL": url_of(restored),
        "PATH": f"{Path(sys.executable).parent}:{os.environ.get('PATH', '/usr/bin:/bin')}",
        "PYTHONPATH": str(ROOT),
    }
    before = facts(url_of(source))
    connections.close_all()
    with psycopg.connect(url_of("postgres"), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{restored}"')
    try:
        run(commands("backup"), env, tmp_path)
        assert (backup_dir / "dropline.dump").stat().st_size > 0
        assert "TABLE DATA public billing_invoice" in (backup_dir / "contents.txt").read_text()

        # The machine is lost: its var/ with it.
        for path in sorted(var_dir.rglob("*"), reverse=True):
            path.rmdir() if path.is_dir() else path.unlink()
        run(commands("restore"), env, tmp_path)

        after = facts(url_of(restored))
        assert after == before
        assert after["invoices"][0][0] == 6
        assert len(after["ledger"]) > 2
        assert (var_dir / "vapid_private_key.pem").read_text() == key
        assert (var_dir / "uploads" / "disputes" / "receipt.pdf").read_bytes().startswith(b"%PDF")
        assert not (var_dir / "static").exists()
    finally:
        with psycopg.connect(url_of("postgres"), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{restored}" WITH (FORCE)')
