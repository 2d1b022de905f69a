"""Synthetic customer accounts for load testing: ``dropline seed synthetic --accounts N``.

Accounts are written as tuples by ``core.bulk.insert_rows`` (``COPY`` on PostgreSQL) in
chunks of CHUNK_SIZE, one transaction per chunk, so a failure never leaves a half-written
chunk; no model instance is built per row. Primary keys are reserved per chunk first, so
the rows of one account point at each other in one pass per table. Content is drawn from
``random.Random(seed)``; account numbers come from the account sequence, and usernames,
emails and serial numbers derive from them, so a second run adds accounts and never
collides with the first. Every synthetic holder signs in as ``syn<account number>`` with
the same password, SYNTHETIC_PASSWORD: one hash is computed once and shared by every
row, since hashing each one would take longer than all the inserts. Emails use the
reserved example domains and phones the fictional 555 exchange.
"""

from __future__ import annotations

import datetime as dt
import random
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from operator import attrgetter
from typing import Any, TypeVar

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Model
from tqdm import tqdm

from dropline.accounts.models import User
from dropline.billing.models import TaxRate
from dropline.catalog.models import AddOn, EquipmentModel, Plan, Promotion, ServiceKind
from dropline.core import bulk, clock
from dropline.core.dates import add_months
from dropline.customers.models import (
    AccountMember,
    CustomerAccount,
    MemberRole,
    ServiceAddress,
    ServiceArea,
)
from dropline.customers.numbering import allocate_account_numbers
from dropline.network.models import Equipment
from dropline.seeding.demo import billing as demo_billing
from dropline.seeding.demo import catalogue
from dropline.seeding.demo.household import SERVICE_AREAS
from dropline.subscriptions.models import Subscription, SubscriptionAddOn

SYNTHETIC_PASSWORD = "synthetic-password"  # noqa: S105 - shared by every synthetic login
CHUNK_SIZE = 2000


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


FIRST_NAMES = _words(
    "James Mary Robert Patricia John Jennifer Michael Linda David Elizabeth William Barbara "
    "Richard Susan Joseph Jessica Thomas Sarah Charles Karen Daniel Nancy Matthew Lisa Anthony "
    "Betty Mark Sandra Steven Ashley Andrew Emily Joshua Donna Kevin Michelle Brian Carol "
    "José María Juan Guadalupe Luis Sofía Carlos Ana Miguel Lucía Jorge Rosa Wei Mei Anh Linh "
    "Olga Ingrid Ahmed Fatima Kwame Amara Noah Olivia Liam Emma Ethan Ava Mason Harper"
)
LAST_NAMES = _words(
    "Smith Johnson Williams Brown Jones Miller Davis Wilson Anderson Thomas Taylor Moore "
    "Jackson Martin Lee Thompson White Harris Clark Lewis Robinson Walker Young Allen King "
    "Wright Scott Hill Green Adams Nelson Baker Hall Campbell Mitchell Carter Roberts Peterson "
    "Johansen Olson Schmidt Schultz Meyer Weber Becker García Rodríguez Martínez Hernández "
    "López González Pérez Sánchez Ramírez Torres Rivera Flores Nguyen Tran Chen Wang Kim Patel"
)
STREETS = _words(
    "Main Oak Maple Cedar Pine Elm Willow Walnut Hickory Birch Prairie River Lake Hill "
    "Meadow Sunset Church Mill Park Ridge Jefferson Lincoln Washington Madison Grant Franklin "
    "Orchard Spring Valley Bluff Timber Harvest Quarry Depot Railroad Heritage"
)
SUFFIXES = _words("Street Street Avenue Avenue Road Drive Lane Court Boulevard Way Place Circle")
# city, ZIP code and county in each of the demo's service areas (all in Iowa): the
# county picks the address's taxes and fees out of the jurisdiction table.
CITIES: dict[str, list[tuple[str, str, str]]] = {
    "riverbend-north": [
        ("Riverbend", "52240", "Johnson"),
        ("North Liberty", "52317", "Johnson"),
        ("Solon", "52333", "Johnson"),
    ],
    "riverbend-south": [
        ("Riverbend", "52246", "Johnson"),
        ("Hills", "52235", "Johnson"),
        ("Lone Tree", "52755", "Johnson"),
    ],
    "cedar-falls": [
        ("Cedar Falls", "50613", "Black Hawk"),
        ("Waterloo", "50701", "Black Hawk"),
        ("Hudson", "50643", "Black Hawk"),
    ],
    "lake-county": [
        ("Clear Lake", "50428", "Cerro Gordo"),
        ("Mason City", "50401", "Cerro Gordo"),
        ("Ventura", "50482", "Cerro Gordo"),
    ],
}
AREA_CODES = ("319", "563", "515", "641", "712")
# Every table written, parents first: the order of the inserts.
TABLES: tuple[type[Model], ...] = (
    ServiceAddress,
    CustomerAccount,
    User,
    EmailAddress,
    AccountMember,
    Subscription,
    SubscriptionAddOn,
    Equipment,
)
_T = TypeVar("_T")
SERIAL_TAGS = {"gateway": "GW", "modem": "CM", "router": "RT", "receiver": "RX", "phone": "PH"}


class SyntheticError(ValueError):
    """Synthetic accounts cannot be created as asked."""


@dataclass(frozen=True)
class SyntheticResult:
    """What a run created: the accounts, and the rows in all the tables together."""

    accounts: int
    rows: int


@dataclass
class _Catalogue:
    """What synthetic accounts are made of, read once before the first chunk."""

    areas: list[tuple[ServiceArea, list[tuple[str, str, str]]]]
    plans: dict[str, list[Plan]]
    promotions: dict[int, list[Promotion]]
    add_ons: dict[str, list[AddOn]]
    devices: dict[str, list[EquipmentModel]]
    currency: str


def _grouped(rows: Iterable[_T], key: str) -> dict[Any, list[_T]]:
    """Rows by the value of ``key``, each group in the order of the rows' codes."""
    grouped: dict[Any, list[_T]] = defaultdict(list)
    for row in sorted(rows, key=attrgetter("code")):
        grouped[getattr(row, key)].append(row)
    return dict(grouped)


def _load_catalogue(currency: str) -> _Catalogue:
    """The service areas and catalogue, created from the demo provider when missing."""
    with transaction.atomic():
        for code, name in SERVICE_AREAS:
            ServiceArea.objects.get_or_create(code=code, defaults={"name": name})
        if not Plan.objects.exists():
            catalogue.load()
        if not TaxRate.objects.exists():
            demo_billing.load_tax_table()  # the demo's Iowa taxes: the addresses are there
    cat = _Catalogue(
        areas=[(a, CITIES[a.code]) for a in ServiceArea.objects.filter(code__in=CITIES)],
        plans=_grouped(Plan.objects.filter(is_active=True, currency=currency), "kind"),
        promotions=_grouped(Promotion.objects.filter(is_active=True), "plan_id"),
        add_ons=_grouped(AddOn.objects.filter(is_active=True, currency=currency), "kind"),
        devices=_grouped(EquipmentModel.objects.filter(currency=currency), "kind"),
        currency=currency,
    )
    if not cat.plans or not cat.devices:
        raise SyntheticError(f"the catalogue has no plans or equipment priced in {currency}")
    return cat


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def _phone(rng: random.Random) -> str:
    return f"+1{rng.choice(AREA_CODES)}555{rng.randrange(10_000):04d}"


class _Table:
    """The rows of one table for one chunk: the columns a row gives (``given``, in that
    order, the primary key first), then every other column at its field's default, as
    ``bulk_create`` would have written it (``auto_now`` fields at ``now``)."""

    def __init__(self, model: type[Model], given: tuple[str, ...], now: dt.datetime) -> None:
        self.model = model
        rest: list[tuple[str, Any]] = []
        for field in model._meta.concrete_fields:
            if field.column in given:
                continue
            auto = getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
            default = now if auto or field.column == "date_joined" else field.get_default()
            if isinstance(default, str):
                default = str(default)  # a choice's enum member: its value
            rest.append((field.column, default))
        self.columns = given + tuple(column for column, _ in rest)
        self.defaults = tuple(value for _, value in rest)
        self.rows: list[tuple[Any, ...]] = []

    def add(self, *values: Any) -> None:
        self.rows.append(values + self.defaults)

    def write(self) -> int:
        return bulk.insert_rows(self.model, self.columns, self.rows)


@dataclass(slots=True)
class _Sub:
    """A subscription being drafted: what its add-ons and devices need of it."""

    id: int
    kind: str
    started_on: dt.date


class _Chunk:
    """The rows of a chunk of accounts, table by table, with their reserved ids."""

    def __init__(self, size: int, now: dt.datetime) -> None:
        self.tables = {
            ServiceAddress: _Table(ServiceAddress, ADDRESS_COLUMNS, now),
            CustomerAccount: _Table(CustomerAccount, ACCOUNT_COLUMNS, now),
            User: _Table(User, USER_COLUMNS, now),
            EmailAddress: _Table(
                EmailAddress, ("id", "user_id", "email", "verified", "primary"), now
            ),
            AccountMember: _Table(AccountMember, ("id", "account_id", "user_id", "role"), now),
            Subscription: _Table(Subscription, SUBSCRIPTION_COLUMNS, now),
            SubscriptionAddOn: _Table(SubscriptionAddOn, ADD_ON_COLUMNS, now),
            Equipment: _Table(Equipment, EQUIPMENT_COLUMNS, now),
        }
        # One id per account in the tables that have one row per account; the others
        # draw from a reserve topped up as it runs out.
        self.ids = {model: iter(bulk.reserve_ids(model, size)) for model in PER_ACCOUNT}
        self.spare: dict[type[Model], list[int]] = {m: [] for m in MANY_PER_ACCOUNT}
        self.last: dict[type[Model], int] = {}
        self.size = size

    def next_id(self, model: type[Model]) -> int:
        if model in self.ids:
            return next(self.ids[model])
        spare = self.spare[model]
        if not spare:
            ids = bulk.reserve_ids(model, self.size)
            last = self.last.get(model)
            if last is not None and ids[0] <= last:
                # SQLite counts from the highest id written, and this chunk's rows are
                # not written yet: go on after the ones already handed out.
                ids = list(range(last + 1, last + 1 + self.size))
            spare.extend(reversed(ids))
        self.last[model] = value = spare.pop()
        return value

    def write(self) -> int:
        return sum(table.write() for table in self.tables.values())


ADDRESS_COLUMNS = (
    "id",
    "line1",
    "line2",
    "city",
    "county",
    "region",
    "postal_code",
    "service_area_id",
)
ACCOUNT_COLUMNS = (
    "id",
    "number",
    "name",
    "service_address_id",
    "email",
    "phone",
    "bill_cycle_day",
    "preferred_language",
    "currency",
    "opened_on",
)
USER_COLUMNS = (
    "id",
    "username",
    "email",
    "first_name",
    "last_name",
    "password",
    "preferred_language",
)
SUBSCRIPTION_COLUMNS = (
    "id",
    "account_id",
    "plan_id",
    "monthly_price_cents",
    "currency",
    "started_on",
    "phone_number",
    "label",
    "promotion_id",
    "promotion_ends_on",
)
ADD_ON_COLUMNS = (
    "id",
    "subscription_id",
    "add_on_id",
    "monthly_price_cents",
    "currency",
    "started_on",
)
EQUIPMENT_COLUMNS = (
    "id",
    "account_id",
    "model_id",
    "subscription_id",
    "serial_number",
    "mac_address",
    "is_rental",
    "monthly_rental_cents",
    "currency",
    "installed_on",
)
PER_ACCOUNT = (ServiceAddress, CustomerAccount, User, EmailAddress, AccountMember)
MANY_PER_ACCOUNT = (Subscription, SubscriptionAddOn, Equipment)


def _address(rng: random.Random, cat: _Catalogue, chunk: _Chunk) -> int:
    area, cities = rng.choice(cat.areas)
    city, zip_code, county = rng.choice(cities)
    line2 = f"Apt {rng.randint(1, 24)}{rng.choice('ABCD')}" if rng.random() < 0.15 else ""
    address_id = chunk.next_id(ServiceAddress)
    chunk.tables[ServiceAddress].add(
        address_id,
        f"{rng.randint(1, 9899)} {rng.choice(STREETS)} {rng.choice(SUFFIXES)}",
        line2,
        city,
        county,
        "IA",
        zip_code,
        area.pk,
    )
    return address_id


def _services(rng: random.Random, cat: _Catalogue) -> list[str]:
    """1-4 service kinds: internet or TV (so there is a device), maybe mobile lines."""
    wired = [(k, odds) for k, odds in (("internet", 0.88), ("tv", 0.42)) if cat.plans.get(k)]
    kinds = [k for k, odds in wired if rng.random() < odds] or [k for k, _ in wired[:1]]
    lines = rng.choices((0, 1, 2, 3), weights=(55, 25, 15, 5))[0] if cat.plans.get("mobile") else 0
    if not kinds:  # a catalogue of mobile plans only
        lines = max(lines, 1)
    return kinds + ["mobile"] * min(lines, 4 - len(kinds))


def _subscription(
    rng: random.Random,
    cat: _Catalogue,
    chunk: _Chunk,
    *,
    account_id: int,
    opened: dt.date,
    kind: str,
    today: dt.date,
) -> _Sub:
    """A service at its plan's price; some on a promotion, which then has an end date."""
    plan = rng.choice(cat.plans[kind])
    days_open = (today - opened).days
    started = opened
    phone = label = ""
    promotion_id: int | None = None
    promotion_ends: dt.date | None = None
    if kind == ServiceKind.MOBILE:
        started += dt.timedelta(days=rng.randint(0, days_open))
        phone = _phone(rng)
        label = rng.choice(FIRST_NAMES)
    promotions = cat.promotions.get(plan.pk)
    if promotions and rng.random() < 0.4:
        promo = rng.choice(promotions)
        late = rng.randint(max(0, days_open - 540), days_open)  # a recent order: still running
        started = opened + dt.timedelta(days=late)
        promotion_id = promo.pk
        promotion_ends = add_months(started, promo.duration_months) - dt.timedelta(days=1)
    sub = _Sub(id=chunk.next_id(Subscription), kind=kind, started_on=started)
    chunk.tables[Subscription].add(
        sub.id,
        account_id,
        plan.pk,
        plan.monthly_price_cents,
        plan.currency,
        started,
        phone,
        label,
        promotion_id,
        promotion_ends,
    )
    return sub


def _add_ons(rng: random.Random, offered: list[AddOn], sub: _Sub, chunk: _Chunk) -> None:
    """None for most services, else one or two add-ons offered for the service's kind."""
    if not offered or rng.random() >= 0.3:
        return
    table = chunk.tables[SubscriptionAddOn]
    for add_on in rng.sample(offered, rng.randint(1, min(2, len(offered)))):
        table.add(
            chunk.next_id(SubscriptionAddOn),
            sub.id,
            add_on.pk,
            add_on.monthly_price_cents,
            add_on.currency,
            sub.started_on,
        )


def _device_models(rng: random.Random, cat: _Catalogue, kind: str) -> list[EquipmentModel]:
    """The boxes a service needs: a gateway, or a modem (maybe with a router); receivers."""
    models = cat.devices
    if kind == ServiceKind.TV and models.get("receiver"):
        return [rng.choice(models["receiver"]) for _ in range(rng.choice((1, 1, 2)))]
    if kind != ServiceKind.INTERNET:
        return []
    if models.get("gateway") and (rng.random() < 0.7 or not models.get("modem")):
        return [rng.choice(models["gateway"])]
    routers = models.get("router") if rng.random() < 0.5 else None
    return [rng.choice(m) for m in (models.get("modem"), routers) if m]


def _mac(rng: random.Random) -> str:
    octets = [rng.randrange(256) for _ in range(6)]
    octets[0] &= 0xFC  # unicast, globally administered, as on a real device
    return ":".join(f"{octet:02x}" for octet in octets)


def _equipment(
    rng: random.Random,
    cat: _Catalogue,
    chunk: _Chunk,
    *,
    account_id: int,
    number: str,
    opened: dt.date,
    services: list[_Sub],
) -> None:
    """1-3 devices on the services they serve; serial numbers derive from the account's."""
    placed: list[tuple[EquipmentModel, _Sub | None]] = []
    placed.extend((m, sub) for sub in services for m in _device_models(rng, cat, sub.kind))
    del placed[3:]
    if not placed:  # no internet or TV plans on sale: one device on no service
        placed.append((rng.choice([m for ms in cat.devices.values() for m in ms]), None))
    table = chunk.tables[Equipment]
    for index, (model, sub) in enumerate(placed):
        rental = model.kind != "router" or rng.random() < 0.75  # some bring their own router
        table.add(
            chunk.next_id(Equipment),
            account_id,
            model.pk,
            sub.id if sub else None,
            f"{SERIAL_TAGS.get(model.kind, 'EQ')}{number}{index:02d}",
            _mac(rng),
            rental,
            model.monthly_rental_cents if rental else 0,
            model.currency,
            sub.started_on if sub else opened,
        )


def _draft(
    rng: random.Random,
    cat: _Catalogue,
    chunk: _Chunk,
    *,
    number: str,
    password: str,
    today: dt.date,
) -> None:
    """Draw one account and everything on it into the chunk's rows."""
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    domain = rng.choice(("example.com", "example.net", "example.org"))
    email = f"{_ascii(first)}.{_ascii(last)}{int(number[3:-1])}@{domain}"
    language = "es" if rng.random() < 0.2 else "en"
    opened = today - dt.timedelta(days=rng.randint(30, 6 * 365))
    address_id = _address(rng, cat, chunk)
    account_id = chunk.next_id(CustomerAccount)
    user_id = chunk.next_id(User)
    tables = chunk.tables
    tables[CustomerAccount].add(
        account_id,
        number,
        f"{first} {last}",
        address_id,
        email,
        _phone(rng),
        opened.day,  # the bill cycle starts on the day service started: 29-31 for some
        language,
        cat.currency,
        opened,
    )
    tables[User].add(user_id, f"syn{number}", email, first, last, password, language)
    tables[EmailAddress].add(chunk.next_id(EmailAddress), user_id, email, True, True)
    tables[AccountMember].add(
        chunk.next_id(AccountMember), account_id, user_id, MemberRole.HOLDER.value
    )
    services = [
        _subscription(rng, cat, chunk, account_id=account_id, opened=opened, kind=kind, today=today)
        for kind in _services(rng, cat)
    ]
    for sub in services:
        _add_ons(rng, cat.add_ons.get(sub.kind, []), sub, chunk)
    _equipment(
        rng, cat, chunk, account_id=account_id, number=number, opened=opened, services=services
    )


def create_accounts(*, count: int, seed: int = 1, progress: bool = True) -> SyntheticResult:
    """Create ``count`` synthetic accounts, each with a holder, services and equipment.

    Each chunk is drawn in memory as tuples, then written table by table (parents
    first) in one transaction, its primary keys reserved inside it. Its account numbers
    are reserved just before, so the sequence's row lock is held only briefly; a
    failed chunk leaves a gap in the numbers, nothing else.
    """
    if count < 1:
        raise SyntheticError("count must be at least 1")
    rng = random.Random(seed)
    cat = _load_catalogue(settings.DROPLINE_CURRENCY)
    password = make_password(SYNTHETIC_PASSWORD)
    today = clock.today()
    now = clock.now()
    rows = 0
    with tqdm(total=count, unit="acct", desc="synthetic accounts", disable=not progress) as bar:
        for start in range(0, count, CHUNK_SIZE):
            numbers = allocate_account_numbers(min(CHUNK_SIZE, count - start))
            with transaction.atomic():
                chunk = _Chunk(len(numbers), now)
                for number in numbers:
                    _draft(rng, cat, chunk, number=number, password=password, today=today)
                rows += chunk.write()
            bar.update(len(numbers))
    return SyntheticResult(accounts=count, rows=rows)
