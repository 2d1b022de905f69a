from __future__ import annotations

import re

import pytest
from django.db import IntegrityError, transaction
from django.test import override_settings

from dropline.catalog.labels import FCC_GLOSSARY_URL, Fee, broadband_facts
from dropline.catalog.models import BroadbandLabel, LabelError, Plan
from dropline.config import ConfigError, env_frn
from tests.support.catalog import make_catalog
from tests.support.labels import make_label

pytestmark = pytest.mark.django_db

IDENTIFIER = re.compile(r"^F\d{10}[A-Z0-9]{15}$")


@override_settings(
    DROPLINE_SUPPORT_PHONE="+13195550100", DROPLINE_HELP_URL="https://isp.example/help"
)
def test_the_label_carries_the_fcc_fields_in_english() -> None:
    catalog = make_catalog()
    make_label(catalog.internet)
    facts = broadband_facts("internet-500", language="en")
    assert facts is not None
    assert facts.monthly_price_cents == 4500  # the introductory price
    assert facts.introductory
    assert facts.introductory_months == 3
    assert facts.price_after_cents == 7000
    assert facts.contract_months is None
    assert facts.monthly_fees == (Fee("Modem rental", 1000),)
    assert facts.one_time_fees == (Fee("Activation", 2500), Fee("Installation", 9900))
    assert facts.taxes_included is False
    assert (facts.typical_download_mbps, facts.typical_upload_mbps) == (512, 21)
    assert facts.typical_latency_ms == 18
    assert facts.data_included_gb is None
    assert facts.support_phone_display
    assert facts.support_url == "https://isp.example/help"
    assert facts.glossary_url == FCC_GLOSSARY_URL
    assert facts.discounts_text == "Save $10 a month with TV"


def test_the_label_in_spanish_and_without_a_promotion() -> None:
    catalog = make_catalog()
    catalog.promotion.is_active = False
    catalog.promotion.save()
    make_label(catalog.internet)
    facts = broadband_facts("internet-500", language="es")
    assert facts is not None
    assert not facts.introductory
    assert facts.price_after_cents is None
    assert facts.monthly_price_cents == 7000
    assert facts.one_time_fees[0].name == "Activación"
    assert facts.discounts_text == "Ahorre $10 al mes con TV"


def test_plans_without_a_label_and_unknown_codes_have_none() -> None:
    catalog = make_catalog()
    make_label(catalog.internet)
    assert broadband_facts("internet-1000", language="en") is None
    assert broadband_facts("tv", language="en") is None
    assert broadband_facts("nope", language="en") is None


@override_settings(DROPLINE_FCC_FRN="0031234567")
def test_the_identifier_is_f_then_the_frn_then_fifteen_letters_or_digits() -> None:
    catalog = make_catalog()
    label = make_label(catalog.internet)
    assert IDENTIFIER.match(label.identifier)
    assert label.identifier.startswith("F0031234567")


def test_a_changed_plan_keeps_its_identifier() -> None:
    catalog = make_catalog()
    identifier = make_label(catalog.internet).identifier
    Plan.objects.filter(pk=catalog.internet.pk).update(
        monthly_price_cents=7500, name="Internet 600"
    )
    label = BroadbandLabel.objects.get(plan=catalog.internet)
    label.typical_download_mbps = 600
    label.save()
    assert BroadbandLabel.objects.get(plan=catalog.internet).identifier == identifier


def test_an_identifier_is_never_handed_out_twice() -> None:
    catalog = make_catalog()
    first = make_label(catalog.internet)
    retired = Plan.objects.get(pk=catalog.internet.pk)
    retired.is_active = False
    retired.save()
    with pytest.raises(LabelError):
        first.delete()
    second = make_label(catalog.faster)
    assert second.identifier != first.identifier
    with pytest.raises(IntegrityError), transaction.atomic():
        BroadbandLabel.objects.filter(pk=second.pk).update(identifier=first.identifier)
    assert BroadbandLabel.objects.filter(identifier=first.identifier).count() == 1


def test_the_frn_setting_must_be_ten_digits(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DROPLINE_FCC_FRN", "12345")
    with pytest.raises(ConfigError, match="10-digit"):
        env_frn("DROPLINE_FCC_FRN", default="0000000000")
    monkeypatch.setenv("DROPLINE_FCC_FRN", "0031234567")
    assert env_frn("DROPLINE_FCC_FRN", default="0000000000") == "0031234567"
