"""The gateway event log in a browser: the list and one event, in English and Spanish,
on a desktop and on a 390px phone, with nothing axe-core finds and no sideways scroll."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.checks import page_problems
from tests.e2e.support import (
    DEMO_ADMIN,
    MOBILE,
    STAFF_LOGIN_PATH,
    DemoSite,
    axe_violations,
    sign_in_staff,
)

pytestmark = pytest.mark.browser


def _event() -> int:
    from dropline.core import clock
    from dropline.payments.models import GatewayEvent

    now = clock.now()
    return GatewayEvent.objects.create(
        gateway="stripe",
        event_id="evt_1QbrowserCheckWithALongIdentifier0123456789",
        kind="payment.settled",
        occurred_at=now,
        received_at=now,
        outcome="no payment has this reference",
        payload={
            "id": "evt_1QbrowserCheckWithALongIdentifier0123456789",
            "type": "charge.succeeded",
            "data": {"object": {"id": "ch_" + "x" * 60, "balance_transaction": "txn_1"}},
        },
    ).pk


def test_the_list_and_one_event_are_accessible_and_fit_a_phone(
    page: Page, demo_site: DemoSite
) -> None:
    pk = _event()
    sign_in_staff(page, demo_site.at(STAFF_LOGIN_PATH), *DEMO_ADMIN)
    for path, heading in (
        ("/backoffice/gateway-events/", "Gateway events"),
        (f"/backoffice/gateway-events/{pk}/", "Payment settled"),
    ):
        for size in (None, MOBILE):
            if size is not None:
                page.set_viewport_size(size)
            page.goto(demo_site.at(path))
            expect(page.get_by_role("heading", level=1)).to_have_text(heading)
            rules, report = axe_violations(page)
            assert not rules, f"{path}: {rules}\n{report}"
            assert page_problems(page, path, spanish=False) == {}, path
