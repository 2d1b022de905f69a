"""Reading troubleshooting runs, always within the account asked about."""

from __future__ import annotations

import datetime as dt
from typing import Any

from dropline.customers.models import CustomerAccount
from dropline.helpdesk.models import TroubleshootingRun
from dropline.helpdesk.troubleshooting.steps import Taken


def run_for(account: CustomerAccount, run_id: int) -> TroubleshootingRun | None:
    """The account's run ``run_id``; another account's run (or none) is None."""
    return TroubleshootingRun.objects.filter(account=account, pk=run_id).first()


def open_run_for(account: CustomerAccount, run_id: int) -> TroubleshootingRun | None:
    """The account's run ``run_id`` while it has not ended, else None."""
    return TroubleshootingRun.objects.filter(account=account, pk=run_id, outcome="").first()


def history(run: TroubleshootingRun) -> list[Taken]:
    """The run's steps as the flow reads them."""
    return [_taken(entry) for entry in run.steps if isinstance(entry, dict)]


def _taken(entry: dict[str, Any]) -> Taken:
    at = entry.get("at")
    result = entry.get("result")
    return Taken(
        step=str(entry.get("step", "")),
        phase=str(entry.get("phase", "")),
        answer=str(entry.get("answer", "")),
        at=dt.datetime.fromisoformat(at) if isinstance(at, str) else None,
        result=result if isinstance(result, dict) else {},
    )
