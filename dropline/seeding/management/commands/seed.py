"""``dropline seed demo`` and ``dropline seed synthetic --accounts N``."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dropline.seeding.demo import DEMO_CUSTOMER, DEMO_STAFF, billing, load_demo, unclaimed


class Command(BaseCommand):
    help = "Load the demo provider, or create synthetic accounts for load testing."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="what", required=True)
        sub.add_parser("demo", help="the demo provider and its household (idempotent)")
        synthetic = sub.add_parser("synthetic", help="many realistic accounts, fast")
        synthetic.add_argument("--accounts", type=int, required=True)
        synthetic.add_argument("--seed", type=int, default=1, help="random seed")
        synthetic.add_argument(
            "--bill-months",
            type=int,
            default=None,
            help="months of bills (and payments) made by the bill run, day by day (default 1)",
        )
        synthetic.add_argument(
            "--usage-days",
            type=int,
            default=None,
            help="days of daily usage roll-ups per internet service (default 3)",
        )
        synthetic.add_argument("--no-progress", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["what"] == "demo":
            self._demo()
        else:
            self._synthetic(options)

    def _demo(self) -> None:
        def report(step: str, count: int) -> None:
            self.stdout.write(f"  {step}: {count} created")

        self.stdout.write("Loading the demo provider:")
        total = load_demo(report=report)
        self.stdout.write(self.style.SUCCESS(f"Demo provider ready ({total} records created)."))
        self.stdout.write(f"  customer sign-in: {DEMO_CUSTOMER[0]} / {DEMO_CUSTOMER[1]}")
        self.stdout.write(f"  staff sign-in:    {DEMO_STAFF[0]} / {DEMO_STAFF[1]}")
        if bills := billing.bills_summary():
            self.stdout.write(f"  customer's bills: {bills}")
        if details := unclaimed.claim_details():
            self.stdout.write(f"  get a login:      {details}")

    def _synthetic(self, options: dict[str, Any]) -> None:
        from dropline.customers.models import CustomerAccount
        from dropline.seeding import synthetic_history as history
        from dropline.seeding.synthetic import SyntheticError, create_accounts

        count = options["accounts"]
        if count < 1:
            raise CommandError("--accounts must be at least 1")
        months = history.BILL_MONTHS if options["bill_months"] is None else options["bill_months"]
        days = history.USAGE_DAYS if options["usage_days"] is None else options["usage_days"]
        if months < 0 or days < 0:
            raise CommandError("--bill-months and --usage-days cannot be negative")
        progress = not options["no_progress"]
        before = CustomerAccount.objects.order_by("-id").values_list("id", flat=True).first() or 0
        started = time.perf_counter()
        try:
            result = create_accounts(count=count, seed=options["seed"], progress=progress)
        except SyntheticError as exc:
            raise CommandError(str(exc)) from None
        elapsed = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Created {result.accounts} accounts ({result.rows} rows) in {elapsed:.1f} s: "
                f"{result.accounts / elapsed:,.0f} accounts/s, {result.rows / elapsed:,.0f} rows/s"
            )
        )
        ids = history.account_id_range(before)
        if ids is None:
            return
        step_started = time.perf_counter()

        def report(what: str) -> None:
            nonlocal step_started
            now = time.perf_counter()
            self.stdout.write(f"  {what} in {now - step_started:.1f} s")
            step_started = now

        history.add_history(
            first_account_id=ids[0],
            last_account_id=ids[1],
            seed=options["seed"],
            bill_months=months,
            usage_days=days,
            progress=progress,
            report=report,
        )
        total = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Seeded {result.accounts} accounts with {months} month(s) of history "
                f"in {total:.1f} s"
            )
        )
