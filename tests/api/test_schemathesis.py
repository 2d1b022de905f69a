"""schemathesis over the whole JSON API, in process, signed in as the demo household.

Every operation of ``/api/v1/openapi.json`` gets the schema's examples, schemathesis's
coverage cases (each bound, each missing or wrong-typed field) and a few generated
cases, valid and invalid, half of their ids drawn from the household's own things so that
the answers for real bills, payments, requests and visits are checked too. Every answer
must be documented: no 5xx, a status code the operation lists, its content type and a
body matching its schema; schema-valid input is never refused as malformed (422).

Run once signed in by the app's session token and once by the browser session with its
CSRF token, each on a fresh copy of the demo. Deterministic: a fixed seed, derandomized.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis

from dropline.payments.disputes.models import DisputeReason
from dropline.payments.disputes.opening import open_dispute
from dropline.usage import collectors
from tests.support import api_fuzzing
from tests.support.disputes import a_pdf, charge_line, use_upload_root
from tests.support.usage_sources import basic

pytestmark = pytest.mark.django_db

# Cases per operation in the fuzzing phase; the examples and coverage phases add theirs.
MAX_EXAMPLES = 6
SEED = 16
# Half the cases of an operation taking an id name one of the household's things.
KNOWN_ID_PROBABILITY = 0.5

CHECKS = (
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
    "response_headers_conformance",
    "positive_data_acceptance",
)
# Valid input may still be refused for what it means: a payment larger than the balance,
# a visit that is over (400 naming the field, or 422 with the rule's `code` where the
# payments features answer so), a state that forbids it (409). Never as malformed: see
# ``valid_input_is_not_called_malformed``.
ACCEPTED_STATUSES = ["2xx", "3xx", "400", "401", "403", "404", "409", "422", "429"]

# FreeRADIUS posts accounting with a collector's HTTP basic credentials, not a customer's.
RADIUS_ACCOUNTING = "POST /api/v1/radius/accounting"

# Operations that must have answered 2xx at least once in a run: reads of the household's
# data (with ids of its own things) and writes.
SUCCEED_AT_LEAST_ONCE = {
    "GET /api/v1/me",
    "GET /api/v1/invoices",
    "GET /api/v1/invoices/{number}",
    "GET /api/v1/payments/{confirmation_number}",
    "GET /api/v1/tickets/{ticket_id}",
    "GET /api/v1/usage",
    "POST /api/v1/tickets",
    "PUT /api/v1/notification-preferences",
    "POST /api/v1/notifications/read-all",
    RADIUS_ACCOUNTING,
}

# Operations schemathesis cannot call in process, with the reason.
SKIPPED = {
    "POST /api/v1/webhooks/{gateway}": (
        "a payment gateway's webhook: only a body signed with the gateway's secret (which "
        "schemathesis cannot compute) gets past the signature check, and its refusals are "
        "tested in tests/api/webhooks"
    ),
    "POST /api/v1/security/sessions/end-others": (
        "signs out every other session of the household's holder, and with it the one "
        "the other half of the run uses; tested in tests/api/security"
    ),
    "DELETE /api/v1/security/sessions/{session_id}": (
        "ends a session by its id: the coverage phase tries the smallest ids, one of which "
        "is the session the run is signed in with; tested in tests/api/security"
    ),
}


def _config(ids: dict[str, list[Any]], collector: str) -> schemathesis.Config:
    """``ids``: values by path parameter name, or by ``body.`` and a body field's name;
    ``collector``: the RADIUS collector's ``Authorization``."""
    known = {name: values for name, values in ids.items() if values}
    dictionaries = {name: {"values": values} for name, values in known.items()}
    parameters = {
        name if name.startswith("body.") else f"path.{name}": {
            "dictionary": name,
            "probability": KNOWN_ID_PROBABILITY,
        }
        for name in known
    }
    return schemathesis.Config.from_dict(
        {
            "seed": SEED,
            "dictionaries": dictionaries,
            "parameters": parameters,
            "generation": {
                "deterministic": True,
                "max-examples": MAX_EXAMPLES,
                "database": "none",
                "with-security-parameters": False,
            },
            "phases": {
                "examples": {"enabled": True},
                "coverage": {"enabled": True},
                "fuzzing": {"enabled": True},
                "stateful": {"enabled": False},
            },
            "checks": {
                "enabled": False,
                **{name: {"enabled": True} for name in CHECKS},
                "positive_data_acceptance": {
                    "enabled": True,
                    "expected-statuses": ACCEPTED_STATUSES,
                },
            },
            "operations": [
                *({"include-name": label, "enabled": False} for label in sorted(SKIPPED)),
                {"include-name": RADIUS_ACCOUNTING, "headers": {"Authorization": collector}},
            ],
        }
    )


@pytest.fixture
def answers() -> Counter[tuple[str, int]]:
    return Counter()


@pytest.fixture(
    params=[api_fuzzing.app_signed_in, api_fuzzing.browser_signed_in],
    ids=["session token", "browser session"],
)
def signed_in(
    request: pytest.FixtureRequest, demo: None, settings: Any, tmp_path: Any
) -> api_fuzzing.SignedIn:
    use_upload_root(settings, tmp_path)
    _a_dispute_with_a_file()
    made: api_fuzzing.SignedIn = request.param()
    return made


@pytest.fixture
def api_schema(
    request: pytest.FixtureRequest,
    signed_in: api_fuzzing.SignedIn,
    answers: Counter[tuple[str, int]],
) -> Iterator[Any]:
    # schemathesis's pytest plugin renames the test for each operation through
    # ``_nodeid``, which pytest 9 no longer has.
    request.node._nodeid = request.node.nodeid
    collectors.forget_all()
    _collector, password = collectors.add_collector(name="radius-fuzz")
    config = _config(api_fuzzing.household_ids(), basic("radius-fuzz", password))
    with api_fuzzing.wsgi_app() as app:
        yield schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app, config=config)
    collectors.forget_all()
    # The answers were the signed-in household's: its reads answered with its data, and
    # writes passed the sign-in (and the browser session's CSRF check).
    succeeded = {label for label, status in answers if 200 <= status < 300}
    missing = SUCCEED_AT_LEAST_ONCE - succeeded
    assert not missing, {label: [s for lb, s in answers if lb == label] for label in missing}


def _a_dispute_with_a_file() -> None:
    from dropline.billing.models import Invoice
    from dropline.seeding.demo import DEMO_CUSTOMER

    invoice = Invoice.objects.filter(account__members__user__username=DEMO_CUSTOMER[0]).latest(
        "issued_on"
    )
    holder = invoice.account.members.get(role="holder").user
    open_dispute(
        account=invoice.account,
        invoice_line=charge_line(invoice),
        amount_cents=100,
        reason=DisputeReason.OTHER,
        description="The second line was never installed.",
        files=[a_pdf("photo-of-the-bill.pdf")],
        actor=holder,
    )


schema = schemathesis.pytest.from_fixture("api_schema")


def valid_input_is_not_called_malformed(ctx: Any, response: Any, case: Any) -> bool | None:
    """Input valid by the schema never gets the API's "not valid" 422, which says its
    shape is wrong: only a refusal by a rule (422 with its `code`) may answer it 422."""
    if case.meta is None or not case.meta.generation.mode.is_positive:
        return None
    if response.status_code == 422 and "code" not in response.json():
        raise AssertionError(f"Schema-valid input refused as malformed: {response.text}")
    return None


@schema.parametrize()
def test_every_answer_is_documented(
    case: Any, signed_in: api_fuzzing.SignedIn, answers: Counter[tuple[str, int]]
) -> None:
    response = case.call_and_validate(
        headers=signed_in.headers,
        cookies=signed_in.cookies,
        additional_checks=[valid_input_is_not_called_malformed],
    )
    answers[(case.operation.label, response.status_code)] += 1
