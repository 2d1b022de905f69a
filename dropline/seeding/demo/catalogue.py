"""Riverbend Broadband's catalogue: internet tiers, TV packages, mobile, add-ons, equipment."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models

from dropline.catalog.models import AddOn, Channel, EquipmentModel, Plan, Promotion, ServiceKind

# number, call sign, name, genre, tier (1 = TV Select, 2 = TV Silver, 3 = TV Gold, 9 = add-on)
CHANNELS: list[tuple[int, str, str, str, int]] = [
    (2, "WRBN", "WRBN Riverbend 2 (local news)", "Local", 1),
    (4, "KVLY", "KVLY Valley 4", "Local", 1),
    (5, "WQPT", "WQPT Public Television", "Local", 1),
    (7, "WTRV", "WTRV Channel 7", "Local", 1),
    (9, "WGMT", "WGMT Metro 9", "Local", 1),
    (11, "RCTV", "Riverbend Community Access", "Local", 1),
    (20, "NWS24", "News 24", "News", 1),
    (21, "WRLD", "World News Now", "News", 1),
    (22, "BIZ", "Business Channel", "News", 1),
    (23, "WTHR", "Weather Nation", "News", 1),
    (30, "SPN", "Sports Network", "Sports", 1),
    (31, "SPN2", "Sports Network 2", "Sports", 2),
    (32, "GOLF", "Fairway Golf", "Sports", 2),
    (33, "RSN", "Riverbend Regional Sports", "Sports", 2),
    (40, "KIDZ", "Kidz Network", "Kids", 1),
    (41, "TOON", "Toon Time", "Kids", 1),
    (42, "DSCV", "Discovery Science", "Documentary", 1),
    (43, "HIST", "History & Heritage", "Documentary", 2),
    (44, "NATR", "Nature World", "Documentary", 2),
    (50, "FOOD", "Food & Kitchen", "Lifestyle", 1),
    (51, "HOME", "Home & Garden", "Lifestyle", 1),
    (52, "TRVL", "Travel Channel", "Lifestyle", 2),
    (60, "CMDY", "Comedy Central Station", "Entertainment", 1),
    (61, "DRMA", "Drama Plus", "Entertainment", 2),
    (62, "CLSC", "Classic Movies", "Movies", 2),
    (63, "ACTN", "Action Movies", "Movies", 3),
    (64, "INDY", "Independent Film", "Movies", 3),
    (70, "UNIV", "Univista", "Spanish", 1),
    (71, "TLMD", "Telemundial", "Spanish", 2),
    (72, "DPTS", "Deportes Uno", "Spanish", 3),
    (80, "MUSC", "Music Videos", "Music", 2),
    (81, "CNTY", "Country Music Television", "Music", 3),
    (90, "PRM1", "Premiere Cinema", "Premium", 3),
    (91, "PRM2", "Premiere Cinema 2", "Premium", 3),
    (100, "SEC", "Conference Football Network", "Sports", 9),
    (101, "BALL", "Hoops Network", "Sports", 9),
    (102, "HCKY", "Ice Hockey Network", "Sports", 9),
    (103, "SOCR", "World Soccer", "Sports", 9),
]


# The channels each TV add-on carries: the sports networks only the pack has, the
# Spanish-language channels of the bigger packages, the premium movie channels.
ADD_ON_LINE_UPS: dict[str, list[int]] = {
    "sports-pack": [n for n, *_rest, t in CHANNELS if t == 9],
    "latino-pack": [70, 71, 72],
    "premiere-pack": [90, 91],
}


def _upsert(model: type[models.Model], key: dict[str, Any], values: dict[str, Any]) -> int:
    """Create the record if its natural key is new; leave an existing one alone."""
    _, created = model.objects.get_or_create(**key, defaults=values)  # type: ignore[attr-defined]
    return int(created)


def load() -> int:
    created = 0
    for number, call_sign, name, genre, _tier in CHANNELS:
        created += _upsert(
            Channel,
            {"number": number},
            {"call_sign": call_sign, "name": name, "genre": genre.lower()},
        )
    channels = {c.number: c for c in Channel.objects.all()}

    internet = [
        ("internet-300", "Internet 300", "Internet 300", 300, 20, 1200, 4999, 1),
        ("internet-500", "Internet Ultra 500", "Internet Ultra 500", 500, 50, None, 6999, 2),
        ("internet-gig", "Internet Gig", "Internet Gig", 1000, 100, None, 8999, 3),
    ]
    for code, name, name_es, down, up, allowance, price, order in internet:
        created += _upsert(
            Plan,
            {"code": code},
            {
                "kind": ServiceKind.INTERNET,
                "name": name,
                "name_es": name_es,
                "download_mbps": down,
                "upload_mbps": up,
                "data_allowance_gb": allowance,
                "monthly_price_cents": price,
                "currency": settings.DROPLINE_CURRENCY,
                "sort_order": order,
            },
        )
    tv = [
        ("tv-select", "TV Select", "TV Select", 1, 5999, 1),
        ("tv-silver", "TV Silver", "TV Plata", 2, 8499, 2),
        ("tv-gold", "TV Gold", "TV Oro", 3, 10999, 3),
    ]
    for code, name, name_es, tier, price, order in tv:
        plan, was_created = Plan.objects.get_or_create(
            code=code,
            defaults={
                "kind": ServiceKind.TV,
                "name": name,
                "name_es": name_es,
                "monthly_price_cents": price,
                "currency": settings.DROPLINE_CURRENCY,
                "sort_order": order,
            },
        )
        if was_created:
            plan.channels.set([channels[n] for n, *_rest, t in CHANNELS if t <= tier])
        created += int(was_created)
    mobile = [
        ("mobile-by-the-gig", "Mobile By the Gig", "Móvil por gigabyte", 0, Decimal("14"), 1),
        ("mobile-unlimited", "Mobile Unlimited", "Móvil ilimitado", 2999, None, 2),
    ]
    for code, name, name_es, price, per_gb, order in mobile:
        created += _upsert(
            Plan,
            {"code": code},
            {
                "kind": ServiceKind.MOBILE,
                "name": name,
                "name_es": name_es,
                "monthly_price_cents": price,
                "currency": settings.DROPLINE_CURRENCY,
                "price_per_gb": per_gb,
                "sort_order": order,
            },
        )

    add_ons: list[tuple[str, str, str, str, int]] = [
        ("sports-pack", ServiceKind.TV, "Sports Pack", "Paquete de deportes", 899),
        ("dvr-service", ServiceKind.TV, "Cloud DVR", "DVR en la nube", 499),
        ("latino-pack", ServiceKind.TV, "Latino Pack", "Paquete latino", 699),
        ("premiere-pack", ServiceKind.TV, "Premiere Movies", "Cine Premiere", 1299),
        ("static-ip", ServiceKind.INTERNET, "Static IP address", "Dirección IP fija", 1000),
        ("wifi-boost", ServiceKind.INTERNET, "Whole-home Wi-Fi", "Wi-Fi en toda la casa", 500),
        (
            "intl-calling",
            ServiceKind.MOBILE,
            "International calling",
            "Llamadas internacionales",
            500,
        ),
    ]
    for code, kind, name, name_es, price in add_ons:
        add_on, was_created = AddOn.objects.get_or_create(
            code=code,
            defaults={
                "kind": kind,
                "name": name,
                "name_es": name_es,
                "monthly_price_cents": price,
                "currency": settings.DROPLINE_CURRENCY,
            },
        )
        if was_created and code in ADD_ON_LINE_UPS:
            add_on.channels.set([channels[n] for n in ADD_ON_LINE_UPS[code]])
        created += int(was_created)

    # Makes and models are proper nouns; the kind ("Gateway", "Puerta de enlace") is
    # shown beside them in the reader's language.
    # The fastest download speed each modem or gateway handles (None: any), and how a
    # replacement reaches the customer: Internet Gig needs the multi-gig gateway, which
    # a technician installs.
    equipment: list[tuple[str, str, str, str, int, int | None, str]] = [
        ("gw-xb8", "gateway", "Arris", "SURFboard G54", 1500, 500, "ship"),
        ("gw-xb10", "gateway", "Arris", "SURFboard G74", 1800, None, "install"),
        ("modem-cm3500", "modem", "Arris", "CM3500B", 1000, 500, "ship"),
        ("router-ax", "router", "eero", "Pro 6E", 500, None, "ship"),
        ("stb-4k", "receiver", "Humax", "H7 4K", 999, None, "ship"),
        ("stb-mini", "receiver", "Humax", "H3 Mini", 750, None, "ship"),
    ]
    for code, kind, maker, model_name, rental, fastest, delivery in equipment:
        created += _upsert(
            EquipmentModel,
            {"code": code},
            {
                "kind": kind,
                "manufacturer": maker,
                "model_name": model_name,
                "monthly_rental_cents": rental,
                "currency": settings.DROPLINE_CURRENCY,
                "max_download_mbps": fastest,
                "delivery": delivery,
            },
        )

    promotions = [
        ("ultra-12mo", "internet-500", "First-year price", "Precio del primer año", 4999, 12),
        ("silver-6mo", "tv-silver", "Silver welcome offer", "Oferta de bienvenida Plata", 6499, 6),
    ]
    for code, plan_code, name, name_es, price, months in promotions:
        created += _upsert(
            Promotion,
            {"code": code},
            {
                "plan": Plan.objects.get(code=plan_code),
                "name": name,
                "name_es": name_es,
                "monthly_price_cents": price,
                "duration_months": months,
            },
        )
    return created
