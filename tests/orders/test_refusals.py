"""Changes that cannot be made are refused with the field, the reason in the customer's
language and a code, and nothing is written."""

import datetime as dt

import pytest

from dropline.billing.history import load_history
from dropline.core import clock
from dropline.core.audit import AuditEvent
from dropline.customers.models import AccountStatus, CustomerAccount, MemberRole
from dropline.customers.onboarding import add_member
from dropline.orders.changes import Change
from dropline.orders.errors import ChangeRefused
from dropline.orders.models import Order
from dropline.orders.placing import place_order
from dropline.orders.preview import preview_change
from tests.support.billing import at, bill_months
from tests.support.factories import make_user
from tests.support.orders import add, contract, make_home, make_shop, plan_change, remove

D = dt.date
pytestmark = pytest.mark.django_db
TODAY = D(2026, 3, 12)


@pytest.fixture
def shop():
    return make_shop()


@pytest.fixture
def home(shop):
    home = make_home(shop)
    bill_months(home.account, first=D(2026, 1, 5), months=3)
    return home


def refused(home, change, language="en"):
    before = (load_history(home.account.pk), Order.objects.count(), AuditEvent.objects.count())
    with clock.frozen(at(TODAY)):
        with pytest.raises(ChangeRefused) as preview_refusal:
            preview_change(account=home.account, change=change, language=language)
        with pytest.raises(ChangeRefused) as order_refusal:
            place_order(
                user=home.holder,
                account=home.account,
                change=change,
                fingerprint=None,
                language=language,
            )
    assert (preview_refusal.value.code, preview_refusal.value.field) == (
        order_refusal.value.code,
        order_refusal.value.field,
    )
    after = (load_history(home.account.pk), Order.objects.count(), AuditEvent.objects.count())
    assert after == before  # nothing written
    return preview_refusal.value


def test_a_plan_not_sold_at_the_address_is_refused(home, shop):
    refusal = refused(home, plan_change(home.internet, shop.far))
    assert (refusal.field, refusal.code) == ("plan", "not_available")
    assert refusal.reason == "That plan is not available at your service address."
    spanish = refused(home, plan_change(home.internet, shop.far), language="es")
    assert spanish.reason == "Ese plan no está disponible en la dirección de su servicio."


def test_the_same_plan_another_kind_and_a_retired_plan_are_refused(home, shop):
    assert refused(home, plan_change(home.internet, shop.ultra)).code == "same_plan"
    assert refused(home, plan_change(home.internet, shop.tv_gold)).code == "other_kind"
    assert refused(home, plan_change(home.internet, shop.retired)).code == "not_on_sale"
    unknown = Change(subscription_id=home.internet.pk, action="change_plan", plan_code="nope")
    assert refused(home, unknown).code == "no_plan"
    assert refused(home, Change(subscription_id=home.internet.pk, action="x")).field == "action"


def test_add_ons_already_there_or_not_there_are_refused(home, shop):
    assert refused(home, add(home.internet, shop.boost)).code == "add_on_present"
    refusal = refused(home, remove(home.internet, shop.static_ip))
    assert (refusal.field, refusal.code) == ("add_on", "add_on_absent")
    assert refused(home, add(home.internet, shop.sports)).code == "other_kind"
    shop.static_ip.is_active = False
    shop.static_ip.save()
    assert refused(home, add(home.internet, shop.static_ip)).code == "not_on_sale"


def test_a_suspended_account_changes_nothing(home, shop):
    CustomerAccount.objects.filter(pk=home.account.pk).update(status=AccountStatus.SUSPENDED)
    home.account.refresh_from_db()
    refusal = refused(home, plan_change(home.internet, shop.gig))
    assert (refusal.field, refusal.code) == ("account", "account_suspended")


def test_another_accounts_service_is_no_service(home, shop):
    other = make_home(shop, username="neighbour")
    refusal = refused(home, plan_change(other.internet, shop.gig))
    assert (refusal.field, refusal.code) == ("service", "no_service")


def test_a_second_change_while_one_is_pending_is_refused(home, shop):
    with clock.frozen(at(TODAY)):
        place_order(
            user=home.holder,
            account=home.account,
            change=plan_change(home.internet, shop.basic),
            fingerprint=None,
            language="en",
        )
    refusal = refused(home, add(home.internet, shop.static_ip))
    assert (refusal.field, refusal.code) == ("service", "pending_change")
    # Another service of the account can still change.
    with clock.frozen(at(TODAY)):
        other = preview_change(
            account=home.account, change=plan_change(home.tv, shop.tv_gold), language="en"
        )
    assert other.to_name == "TV Gold"


def test_a_downgrade_during_the_contract_is_refused_an_upgrade_is_not(shop):
    contract(shop.ultra, 12)
    home = make_home(shop)
    refusal = refused(home, plan_change(home.internet, shop.basic))
    assert (refusal.field, refusal.code) == ("plan", "contract")
    assert "runs until Jan. 4, 2027" in refusal.reason
    with clock.frozen(at(TODAY)):
        preview_change(
            account=home.account, change=plan_change(home.internet, shop.gig), language="en"
        )
    # Once the contract has run, the downgrade is open.
    with clock.frozen(at(D(2027, 1, 6))):
        preview_change(
            account=home.account, change=plan_change(home.internet, shop.basic), language="en"
        )


def test_only_the_holder_may_place_an_order(home, shop):
    helper = make_user(username="helper")
    add_member(account=home.account, user=helper, role=MemberRole.AUTHORIZED)
    with clock.frozen(at(TODAY)), pytest.raises(ChangeRefused) as refusal:
        place_order(
            user=helper,
            account=home.account,
            change=plan_change(home.internet, shop.gig),
            fingerprint=None,
            language="en",
        )
    assert refusal.value.code == "not_allowed"
    assert Order.objects.count() == 0


def test_an_order_whose_money_changed_since_the_preview_is_refused(home, shop):
    with clock.frozen(at(TODAY)):
        seen = preview_change(
            account=home.account, change=plan_change(home.internet, shop.gig), language="en"
        )
        shop.gig.monthly_price_cents = 9500
        shop.gig.save()
        with pytest.raises(ChangeRefused) as refusal:
            place_order(
                user=home.holder,
                account=home.account,
                change=plan_change(home.internet, shop.gig),
                fingerprint=seen.fingerprint,
                language="en",
            )
    assert (refusal.value.field, refusal.value.code) == ("fingerprint", "preview_stale")
    assert Order.objects.count() == 0
