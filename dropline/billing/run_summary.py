"""What a bill run did, in words: billed, skipped by reason, failed by reason with the
first few accounts. The CLI prints it; the back-office can show the same."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q

from dropline.billing.models import BillRun, BillRunChunk, BillRunProblem, ChunkStatus, RunOutcome

# Account numbers named per reason; the rest are counted.
NAMED = 5


@dataclass(frozen=True, slots=True)
class ReasonCount:
    reason: str
    count: int
    first_accounts: tuple[str, ...]  # account numbers, lowest first


@dataclass(frozen=True, slots=True)
class RunSummary:
    run: BillRun
    skipped: tuple[ReasonCount, ...]
    failed: tuple[ReasonCount, ...]

    @property
    def finished(self) -> bool:
        return self.run.finished_at is not None


def _by_reason(run: BillRun, outcome: str) -> tuple[ReasonCount, ...]:
    problems = BillRunProblem.objects.filter(run=run, outcome=outcome)
    counts = list(problems.values("reason").annotate(n=Count("id")).order_by("-n", "reason")[:20])
    found = []
    for row in counts:
        numbers = (
            problems.filter(reason=row["reason"])
            .order_by("account__number")
            .values_list("account__number", flat=True)[:NAMED]
        )
        found.append(ReasonCount(row["reason"], row["n"], tuple(numbers)))
    return tuple(found)


def summarize(run: BillRun) -> RunSummary:
    run.refresh_from_db()
    return RunSummary(
        run=run,
        skipped=_by_reason(run, RunOutcome.SKIPPED),
        failed=_by_reason(run, RunOutcome.FAILED),
    )


@dataclass(frozen=True, slots=True)
class ChunkTaker:
    """A worker (or process) that took chunks of a run: how many it took last, and how
    many of those it finished billing (the others it holds now, or gave up on)."""

    name: str
    chunks: int
    billed: int


def chunk_takers(run_id: int) -> tuple[ChunkTaker, ...]:
    """Who took the run's chunks, by name, in one grouped query."""
    rows = (
        BillRunChunk.objects.filter(run_id=run_id)
        .exclude(taken_by="")
        .values("taken_by")
        .annotate(chunks=Count("id"), billed=Count("id", filter=Q(status=ChunkStatus.DONE)))
        .order_by("taken_by")
    )
    return tuple(
        ChunkTaker(name=row["taken_by"], chunks=row["chunks"], billed=row["billed"]) for row in rows
    )
