"""The guided troubleshooter for the app: start a run for a problem, read where it stands
(its current step, ready to draw), answer the step. The same runs as the web's
``/support/troubleshoot/``: ``helpdesk.troubleshooting.running`` starts, answers and reads
them (10 starts an hour per account; an answer for a step that moved on, or pressed twice
at once, is refused and writes nothing), ``words`` and ``story`` say them, ``offers``
says what a step leads to.

The account is the first of the caller's unless ``account`` names another of theirs;
another account's run answers 404.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import get_language
from ninja import Query, Router, Status

from dropline.accounts.models import User
from dropline.accounts.requests import signed_in_user
from dropline.api.errors import FieldError
from dropline.api.membership import membership_asked
from dropline.api.schemas import (
    AccountQuery,
    AccountRefOut,
    ErrorOut,
    FieldErrorOut,
    InvalidInputOut,
)
from dropline.api.troubleshooter.schemas import (
    RunAnswerIn,
    RunArticleOut,
    RunBookingOut,
    RunChecklistItemOut,
    RunChoiceOut,
    RunDeviceOut,
    RunMeasuredOut,
    RunOut,
    RunOutageOut,
    RunRestartOut,
    RunStartIn,
    RunStepOut,
    TooManyStartsOut,
)
from dropline.customers.models import AccountMember
from dropline.field.models import VisitReason
from dropline.helpdesk.errors import SupportError
from dropline.helpdesk.troubleshooting import offers, phrases, running, story, words
from dropline.helpdesk.troubleshooting.steps import Step

router = Router(tags=["troubleshooter"])

REPAIR = VisitReason.REPAIR.value
RESTART_PROGRESS = "/api/v1/equipment/{equipment_id}/restarts/{restart_id}"
# A refused answer: the step moved on or the run ended (409), too many restarts or steps
# (429), device management out of reach (503); anything else names the input (400).
REFUSALS = {"moved_on": 409, "closed": 409, "limit": 429, "unavailable": 503}


def _language() -> str:
    return (get_language() or "en").split("-")[0]


def _step_out(current: running.Current, step: Step, offer: offers.Offers) -> RunStepOut:
    problem, language = current.run.problem, _language()
    said = words.step_words(
        problem, step, facts=current.facts, restart=current.restart, language=language
    )
    test, action = step.speed_test, offer.restart
    return RunStepOut(
        kind=step.kind.value,
        phase=step.phase.value,
        ends=step.ends,
        headline=said.headline,
        detail=said.detail,
        checks=list(said.checks),
        answers=[RunChoiceOut(answer=code, label=label) for code, label in said.buttons.items()],
        checklist=[RunChecklistItemOut(code=code, label=label) for code, label in said.checklist],
        link_label=said.link,
        note=step.note.value,
        device=(
            RunDeviceOut(
                equipment_id=step.equipment_id, kind=step.device_kind, status=step.device_status
            )
            if step.equipment_id is not None
            else None
        ),
        restart=(
            RunRestartOut(
                id=action.pk,
                equipment_id=action.equipment_id,
                status=action.status,
                follow=RESTART_PROGRESS.format(
                    equipment_id=action.equipment_id, restart_id=action.pk
                ),
            )
            if action is not None
            else None
        ),
        speed_test=(
            RunMeasuredOut(
                ran_at=test.ran_at,
                download_kbps=test.download_kbps,
                upload_kbps=test.upload_kbps,
                plan_download_mbps=test.plan_download_mbps,
                on_wifi=test.on_wifi,
            )
            if test is not None
            else None
        ),
        run_speed_test=offer.speed_test,
        outage=(
            RunOutageOut(
                outage_id=offer.outage_id,
                maintenance=step.maintenance,
                eta=step.eta,
                watching=offer.watching,
                may_watch=offer.may_watch,
            )
            if offer.outage_id is not None
            else None
        ),
        pay=offer.pay,
        article=(
            RunArticleOut(slug=offer.article, title=phrases.article_title(offer.article))
            if offer.article
            else None
        ),
        visit=step.visit.value if step.visit is not None else None,
        booking=(
            RunBookingOut(reason=REPAIR, details=offer.visit_details, run_id=current.run.pk)
            if offer.visit
            else None
        ),
    )


def _run_out(membership: AccountMember, person: User, current: running.Current) -> RunOut:
    run, language = current.run, _language()
    account = membership.account
    step = current.step
    return RunOut(
        id=run.pk,
        account=AccountRefOut(number=account.number, name=account.name, role=membership.role),
        problem=run.problem,
        problem_label=phrases.problem_words(run.problem),
        started_at=run.started_at,
        ended_at=run.ended_at,
        outcome=run.outcome,
        taken=story.taken_words(run.problem, current.taken, language=language),
        step=(
            _step_out(current, step, offers.offers(current, person=person, language=language))
            if step is not None
            else None
        ),
    )


def _look(membership: AccountMember, person: User, run_id: int) -> RunOut:
    current = running.look(account=membership.account, run_id=run_id, language=_language())
    if current is None:
        raise Http404
    return _run_out(membership, person, current)


@router.post(
    "/troubleshooter/runs",
    response={201: RunOut, 400: InvalidInputOut, 404: ErrorOut, 429: TooManyStartsOut},
    summary="Start troubleshooting a problem",
)
def start(
    request: HttpRequest, response: HttpResponse, body: RunStartIn, query: Query[AccountQuery]
) -> Any:
    """Check the account, outages in its area and its equipment, and take the run to its
    first step. 429 (with `Retry-After`) past 10 starts in an hour for the account, as on
    the web."""
    membership = membership_asked(request, query.account)
    person = signed_in_user(request)
    try:
        started = running.start(account=membership.account, person=person, problem=body.problem)
    except running.TooManyStartsError as exc:
        response["Retry-After"] = str(exc.seconds)
        return Status(429, TooManyStartsOut(detail=exc.message, retry_after=exc.seconds))
    except SupportError as exc:
        raise FieldError(exc.field or "problem", exc.message) from None
    return Status(201, _look(membership, person, started.pk))


@router.get(
    "/troubleshooter/runs/{run_id}",
    response={200: RunOut, 404: ErrorOut},
    summary="Where a troubleshooting run stands",
)
def run(request: HttpRequest, run_id: int, query: Query[AccountQuery]) -> RunOut:
    """The steps taken and the current step, checked afresh (a restart under way moves on
    once the device is back; an end reached is recorded). A run not ended a day after it
    started is left unfinished: `step` is null."""
    membership = membership_asked(request, query.account)
    return _look(membership, signed_in_user(request), run_id)


@router.post(
    "/troubleshooter/runs/{run_id}/answers",
    response={
        200: RunOut,
        400: InvalidInputOut,
        404: ErrorOut,
        409: InvalidInputOut,
        429: InvalidInputOut,
        503: InvalidInputOut,
    },
    summary="Answer the current step",
)
def answer(request: HttpRequest, run_id: int, body: RunAnswerIn, query: Query[AccountQuery]) -> Any:
    """Answer the current step (`step` is its `kind`) with one of its `answers`, and the
    `checklist` items done as `ticked`; "restart" restarts the device for real. Answers
    with where the run stands then. 409 when the step has moved on (another answer came
    first, or the checks changed) or the run has ended, and nothing is written; 429 past
    the restarts allowed in an hour; 503 when the device cannot be reached now; 400
    naming `ticked` for items the step does not show."""
    membership = membership_asked(request, query.account)
    person = signed_in_user(request)
    try:
        running.answer(
            account=membership.account,
            person=person,
            run_id=run_id,
            step=body.step,
            answer=body.answer,
            ticked=body.ticked,
        )
    except SupportError as exc:
        if exc.code == "not_found":
            raise Http404 from exc
        status = REFUSALS.get(exc.code)
        if status is None:
            raise FieldError(exc.field or "answer", exc.message) from None
        reason = exc.message
        return Status(
            status,
            InvalidInputOut(
                detail=reason, errors=[FieldErrorOut(field=exc.field or "step", reason=reason)]
            ),
        )
    return _look(membership, person, run_id)
