"""``dropline catalog schedule-price``: a new catalogue price from a date.

    dropline catalog schedule-price --plan fiber-500 --from 2027-03-01 --cents 6500 \\
        --reason "Network investment" --apply-to-subscribers

``--plan``, ``--add-on`` or ``--equipment`` names the item by its code. Without
``--apply-to-subscribers`` only new orders pay the new price from that day; with it,
every current service on the plan gets the new price from that day and its people are
told now (at least 30 days ahead), with a progress bar while the chunks are applied.
Each refusal names the argument at fault. Running the same command again after it was
cut short finishes the chunks left.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, TextIO, cast

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from dropline.catalog.errors import PriceScheduleError
from dropline.catalog.models import (
    AddOn,
    ApplyStatus,
    EquipmentModel,
    Plan,
    ScheduledPrice,
    ScheduledPriceStatus,
)
from dropline.core.money import Money
from dropline.subscriptions.repricing import (
    DEFAULT_CHUNK_SIZE,
    retry_failed,
    run_apply,
    schedule,
)

# The domain's names for the inputs, and the arguments that carry them.
ARGUMENTS = {
    "effective_on": "--from",
    "monthly_price_cents": "--cents",
    "reason": "--reason",
    "applies_to_subscribers": "--apply-to-subscribers",
    "item": "--plan",
}


class Command(BaseCommand):
    help = "Catalogue prices: schedule-price schedules a new monthly price from a date."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["schedule-price"])
        which = parser.add_mutually_exclusive_group()
        which.add_argument("--plan", help="the plan's code")
        which.add_argument("--add-on", dest="add_on", help="the add-on's code")
        which.add_argument("--equipment", help="the equipment model's code (its rental)")
        parser.add_argument("--from", dest="effective_on", help="the first day, YYYY-MM-DD")
        parser.add_argument("--cents", help="the new monthly price in whole cents")
        parser.add_argument("--reason", default="", help="why the price changes")
        parser.add_argument(
            "--apply-to-subscribers",
            action="store_true",
            help="existing subscribers pay it too (told now; 30 days ahead at least)",
        )
        parser.add_argument("--chunk-size", type=int, default=DEFAULT_CHUNK_SIZE)
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def _item(self, options: dict[str, Any]) -> Plan | AddOn | EquipmentModel:
        for argument, model in (("plan", Plan), ("add_on", AddOn), ("equipment", EquipmentModel)):
            code = options.get(argument)
            if code:
                found = model.objects.filter(code=code).first()
                if found is None:
                    name = "--" + argument.replace("_", "-")
                    kind = model._meta.verbose_name
                    raise CommandError(f"{name}: no {kind} has the code {code!r}")
                return found
        raise CommandError("--plan: name the plan (or --add-on, --equipment) by its code")

    def _unfinished(
        self, item: Plan | AddOn | EquipmentModel, day: dt.date, cents: str, apply: bool
    ) -> ScheduledPrice | None:
        """The same price change, asked before and cut short while being applied."""
        if not apply or not isinstance(item, Plan):
            return None
        return (
            ScheduledPrice.objects.filter(
                plan=item,
                effective_on=day,
                monthly_price_cents=int(cents),
                applies_to_subscribers=True,
                apply_status__in=[ApplyStatus.RUNNING, ApplyStatus.FAILED],
            )
            .exclude(status=ScheduledPriceStatus.CANCELLED)
            .first()
        )

    def handle(self, *args: Any, **options: Any) -> None:
        item = self._item(options)
        raw_day = options["effective_on"]
        if not raw_day:
            raise CommandError("--from: give the first day of the new price as YYYY-MM-DD")
        try:
            day = dt.date.fromisoformat(raw_day)
        except ValueError:
            raise CommandError(f"--from: {raw_day!r} is not a date as YYYY-MM-DD") from None
        raw_cents = options["cents"]
        if raw_cents is None or not raw_cents.lstrip("-").isdigit():
            raise CommandError("--cents: give the new monthly price in whole cents, e.g. 6500")
        if options["chunk_size"] < 1:
            raise CommandError("--chunk-size: must be at least 1")
        apply = bool(options["apply_to_subscribers"])
        unfinished = self._unfinished(item, day, raw_cents, apply)
        if unfinished is not None:
            self.stdout.write(f"Finishing scheduled price #{unfinished.pk}.")
            retry_failed(schedule=unfinished)
            self._apply(unfinished, no_progress=options["no_progress"])
            return
        try:
            scheduled = schedule(
                item=item,
                effective_on=day,
                monthly_price_cents=int(raw_cents),
                reason=options["reason"],
                applies_to_subscribers=apply,
                chunk_size=options["chunk_size"],
                queue=False,
            )
        except PriceScheduleError as exc:
            argument = ARGUMENTS.get(exc.field, "--plan")
            raise CommandError(f"{argument}: {exc.reason}") from None
        price = Money(scheduled.monthly_price_cents, scheduled.currency)
        self.stdout.write(
            f"{item} costs {price} a month from {day.isoformat()} for new orders "
            f"(scheduled price #{scheduled.pk})."
        )
        if apply:
            self._apply(scheduled, no_progress=options["no_progress"])

    def _apply(self, scheduled: ScheduledPrice, *, no_progress: bool) -> None:
        bar = tqdm(
            unit="chunk",
            desc="applying to subscribers",
            file=cast("TextIO", self.stderr._out),
            disable=no_progress,
            dynamic_ncols=True,
        )

        def progress(current: ScheduledPrice) -> None:
            bar.total = current.chunks_total
            bar.n = current.chunks_done
            bar.refresh()

        try:
            done = run_apply(schedule=scheduled, progress=progress)
        finally:
            bar.close()
        self.stdout.write(
            f"{done.services_changed} of {done.services_total} service(s) get the new price "
            f"from {done.effective_on.isoformat()}; {done.notices} message(s) recorded."
        )
        if done.apply_status == ApplyStatus.FAILED:
            raise CommandError("some chunks could not be applied; run the command again")
