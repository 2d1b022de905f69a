"""The demo provider sells its plans by area and every internet plan has a label."""

from __future__ import annotations

import re

import pytest

from dropline.catalog.labels import broadband_facts
from dropline.catalog.models import BroadbandLabel, Plan
from dropline.catalog.queries import plans_available
from dropline.customers.models import ServiceArea
from dropline.seeding.demo import load_demo

pytestmark = pytest.mark.django_db


def test_every_demo_internet_plan_has_a_believable_label(demo):
    for plan in Plan.objects.filter(kind="internet"):
        facts = broadband_facts(plan.code, language="en")
        assert facts is not None, plan.code
        assert re.match(r"^F\d{10}[A-Z0-9]{15}$", facts.identifier)
        assert 0 < facts.typical_download_mbps <= (plan.download_mbps or 0)
        assert 0 < facts.typical_upload_mbps <= (plan.upload_mbps or 0)
        assert facts.one_time_fees
        assert facts.monthly_fees


def test_the_demo_sells_less_in_lake_county(demo):
    north = {
        p.code
        for p in plans_available(service_area=ServiceArea.objects.get(code="riverbend-north"))
    }
    lake = {
        p.code for p in plans_available(service_area=ServiceArea.objects.get(code="lake-county"))
    }
    assert "internet-gig" in north
    assert "internet-gig" not in lake
    assert "internet-300" in lake


def test_seeding_again_keeps_the_identifiers(demo):
    before = dict(BroadbandLabel.objects.values_list("plan__code", "identifier"))
    load_demo()
    assert dict(BroadbandLabel.objects.values_list("plan__code", "identifier")) == before
