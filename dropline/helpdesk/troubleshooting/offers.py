"""What a run's current step offers besides its answers: a speed test to run and come
back from, a help article, the pay page, an outage to read about and be told when it is
fixed, a technician visit to book with what was tried, a restart's progress to follow.

Decided once here from where the run stands (``running.Current``); the web page turns
the offers into its links and buttons, the API into ids and the details to book with.
"""

from __future__ import annotations

from dataclasses import dataclass

from dropline.accounts.models import User
from dropline.helpdesk.troubleshooting import story
from dropline.helpdesk.troubleshooting.running import Current
from dropline.helpdesk.troubleshooting.steps import Phase, StepKind
from dropline.network import restarting
from dropline.network.models import DeviceAction, Outage
from dropline.network.outages.queries import outage_for_account, watched_ids


@dataclass(frozen=True)
class Offers:
    speed_test: bool = False  # run a speed test (its page or the app's), then come back
    article: str = ""  # the help article's slug
    pay: bool = False  # pay the bill
    outage_id: int | None = None  # the outage (or maintenance) the run ended in
    may_watch: bool = False  # still on in the account's area: "tell me when it's fixed"
    watching: bool = False  # the person already asked to be told
    visit: bool = False  # book a repair visit...
    visit_details: str = ""  # ...with these details: the problem, what was tried, why
    restart: DeviceAction | None = None  # the restart under way, to follow


def offers(current: Current, *, person: User, language: str) -> Offers:
    """What ``current``'s step offers to ``person``, the visit's details in ``language``."""
    step, run = current.step, current.run
    if step is None:
        return Offers()
    if step.kind == StepKind.SPEED_TEST:
        return Offers(speed_test=True)
    if step.kind == StepKind.ARTICLE and step.article:
        return Offers(article=step.article)
    if step.kind == StepKind.BOOK_VISIT:
        details = story.booking_details(run.problem, current.taken, step, language=language)
        return Offers(visit=True, visit_details=details)
    if step.kind == StepKind.PAY_BILL:
        return Offers(pay=True)
    if step.kind == StepKind.OUTAGE and step.outage_id is not None:
        return Offers(
            outage_id=step.outage_id,
            may_watch=_watchable(current, step.outage_id),
            watching=bool(watched_ids(user=person, outage_ids=[step.outage_id])),
        )
    action = current.restart
    waiting = step.kind == StepKind.RESTART and step.phase == Phase.WAITING
    if waiting and action is not None and action.status in restarting.OPEN:
        return Offers(restart=action)
    return Offers()


def _watchable(current: Current, outage_id: int) -> bool:
    """Whether the outage is one the account may still be told about: not over, and in
    its area (``watching.watch`` refuses any other)."""
    if current.facts is not None:  # reached just now: the checks found it on
        return True
    try:
        outage_for_account(account=current.run.account, outage_id=outage_id)
    except Outage.DoesNotExist:
        return False
    return True
