"""`dropline seed synthetic`: many realistic accounts, fast, and safe to run twice."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.core.management import call_command
from django.db.models import Count, F

from dropline.accounts.models import User
from dropline.catalog.models import Plan
from dropline.customers.models import AccountMember, CustomerAccount, MemberRole, ServiceAddress
from dropline.customers.numbering import is_valid_account_number
from dropline.customers.queries import memberships_for, search_accounts
from dropline.network.models import Equipment
from dropline.seeding import synthetic
from dropline.seeding.synthetic import SyntheticError, create_accounts
from dropline.subscriptions.models import Subscription, SubscriptionAddOn

pytestmark = pytest.mark.django_db

TABLES = [
    ServiceAddress,
    CustomerAccount,
    User,
    EmailAddress,
    AccountMember,
    Subscription,
    SubscriptionAddOn,
    Equipment,
]


def _rows() -> int:
    return sum(model.objects.count() for model in TABLES)


def test_creates_the_accounts_each_with_a_holder_who_can_be_found() -> None:
    result = create_accounts(count=40, seed=7, progress=False)

    assert result.accounts == 40
    assert CustomerAccount.objects.count() == 40
    assert AccountMember.objects.filter(role=MemberRole.HOLDER).count() == 40
    for account in CustomerAccount.objects.all():
        holder = User.objects.get(username=f"syn{account.number}")
        assert [m.account for m in memberships_for(user=holder)] == [account]
        assert holder.get_full_name() == account.name
        assert EmailAddress.objects.filter(
            user=holder, email=account.email, verified=True, primary=True
        ).exists()
        assert search_accounts(query=account.number) == [account]


def test_reports_the_rows_it_inserted() -> None:
    before = _rows()
    result = create_accounts(count=25, seed=3, progress=False)
    assert result.rows == _rows() - before


def test_every_account_has_services_and_equipment() -> None:
    create_accounts(count=60, seed=11, progress=False)

    counts = CustomerAccount.objects.annotate(
        services=Count("subscriptions", distinct=True), devices=Count("equipment", distinct=True)
    )
    for account in counts:
        assert 1 <= account.services <= 4, account.number
        assert 1 <= account.devices <= 3, account.number
    for device in Equipment.objects.select_related("model", "subscription"):
        assert device.subscription is None or device.subscription.account_id == device.account_id
        rental = device.model.monthly_rental_cents if device.is_rental else 0
        assert device.monthly_rental_cents == rental


def test_account_details_look_real() -> None:
    create_accounts(count=200, seed=5, progress=False)

    accounts = list(CustomerAccount.objects.select_related("service_address"))
    numbers = [a.number for a in accounts]
    assert all(is_valid_account_number(n) for n in numbers)
    assert len(set(numbers)) == len(numbers)
    assert all(re.fullmatch(r"\+1[2-9]\d\d[2-9]\d{6}", a.phone) for a in accounts)
    assert all(1 <= a.bill_cycle_day <= 31 for a in accounts)
    assert any(a.bill_cycle_day > 28 for a in accounts)
    languages = {a.preferred_language for a in accounts}
    assert languages == {"en", "es"}
    assert sum(a.preferred_language == "en" for a in accounts) > len(accounts) / 2
    assert all(a.service_address.line1 and a.service_address.postal_code for a in accounts)


def test_a_second_run_adds_as_many_again_without_collisions() -> None:
    create_accounts(count=30, seed=1, progress=False)
    create_accounts(count=30, seed=1, progress=False)

    assert CustomerAccount.objects.count() == 60
    assert User.objects.filter(username__startswith="syn").count() == 60
    assert Equipment.objects.values("serial_number").distinct().count() == Equipment.objects.count()


def test_the_same_seed_draws_the_same_people() -> None:
    create_accounts(count=10, seed=42, progress=False)
    first = list(CustomerAccount.objects.order_by("number").values_list("name", flat=True))
    create_accounts(count=10, seed=42, progress=False)
    second = list(CustomerAccount.objects.order_by("number").values_list("name", flat=True))[10:]
    assert first == second


def test_prices_promotions_and_add_ons_follow_the_catalogue() -> None:
    create_accounts(count=150, seed=9, progress=False)

    subscriptions = Subscription.objects.select_related("plan", "promotion")
    assert subscriptions.exclude(monthly_price_cents=F("plan__monthly_price_cents")).count() == 0
    promoted = subscriptions.filter(promotion__isnull=False)
    assert promoted.exists()
    for sub in promoted:
        assert sub.promotion is not None
        assert sub.promotion.plan_id == sub.plan_id
        assert sub.promotion_ends_on is not None
        assert sub.promotion_ends_on > sub.started_on
    assert SubscriptionAddOn.objects.exists()
    assert (
        SubscriptionAddOn.objects.exclude(add_on__kind=F("subscription__plan__kind")).count() == 0
    )
    mobile = subscriptions.filter(plan__kind="mobile")
    assert mobile.exists()
    assert mobile.filter(phone_number="").count() == 0


def test_uses_the_catalogue_already_there(demo: None) -> None:
    plans = Plan.objects.count()
    accounts = CustomerAccount.objects.count()
    create_accounts(count=5, progress=False)
    assert Plan.objects.count() == plans
    assert CustomerAccount.objects.count() == accounts + 5


def test_a_failed_chunk_leaves_nothing_half_written(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(synthetic, "CHUNK_SIZE", 7)
    calls = 0
    real = synthetic.bulk.insert_rows

    def fail_on_the_second_chunk(model, columns, rows, **kwargs):
        nonlocal calls
        if model is Equipment:
            calls += 1
            if calls == 2:
                raise RuntimeError("disk full")
        return real(model, columns, rows, **kwargs)

    monkeypatch.setattr(synthetic.bulk, "insert_rows", fail_on_the_second_chunk)
    with pytest.raises(RuntimeError):
        create_accounts(count=20, progress=False)

    assert CustomerAccount.objects.count() == 7
    assert ServiceAddress.objects.count() == 7
    assert User.objects.count() == 7
    assert Subscription.objects.exclude(account__in=CustomerAccount.objects.all()).count() == 0
    assert Equipment.objects.values("account").distinct().count() == 7


def test_without_progress_prints_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    create_accounts(count=3, progress=False)
    assert capsys.readouterr() == ("", "")


def test_progress_bar_goes_to_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    create_accounts(count=3, progress=True)
    out, err = capsys.readouterr()
    assert out == ""
    assert "3/3" in err


@pytest.mark.parametrize("count", [0, -5])
def test_a_count_below_one_is_refused_and_creates_nothing(count: int) -> None:
    with pytest.raises(SyntheticError):
        create_accounts(count=count, progress=False)
    assert _rows() == 0
    assert not Plan.objects.exists()


def test_the_command_creates_the_accounts_and_reports_the_rate() -> None:
    out = StringIO()
    call_command("seed", "synthetic", "--accounts", "50", "--no-progress", stdout=out)

    assert CustomerAccount.objects.count() == 50
    assert re.search(
        r"Created 50 accounts \(\d+ rows\) in [\d.]+ s: [\d,]+ accounts/s", out.getvalue()
    )


@pytest.mark.django_db
def test_the_demo_loads_in_the_providers_currency(settings):
    from dropline.seeding.demo import load_demo
    from dropline.seeding.demo.household import loaded_account

    settings.DROPLINE_CURRENCY = "EUR"
    load_demo()
    account = loaded_account()
    assert account is not None
    assert account.currency == "EUR"
    assert {s.currency for s in account.subscriptions.all()} == {"EUR"}
