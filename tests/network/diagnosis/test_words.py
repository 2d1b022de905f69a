"""The connection check's answers in words: every answer has a headline and a detail in
English and in Spanish, with no codes or placeholders left, and says the ETA and the
device it is about."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings

from dropline.core.style import violations
from dropline.network.diagnosis.diagnose import diagnose
from dropline.network.diagnosis.facts import DeviceFacts, DeviceStatus, Facts, OutageFacts
from dropline.network.diagnosis.words import explain
from tests.support.diagnosis import NOW, any_facts
from tests.support.examples import examples

HOUR = dt.timedelta(hours=1)


@settings(max_examples=examples(60))
@given(any_facts)
def test_every_answer_reads_in_both_languages(facts):
    answer = diagnose(facts)
    english = explain(answer, facts, language="en")
    spanish = explain(answer, facts, language="es")
    for words, language in ((english, "en"), (spanish, "es")):
        assert words.headline
        assert words.detail
        assert len(words.findings) == len(answer.findings)
        everything = " ".join([words.headline, words.detail, words.reason, *words.findings])
        assert "%(" not in everything
        assert "_" not in everything  # no code such as modem_offline
        assert not violations(everything, language)
    assert (english.reason == "") == (answer.reason is None)
    assert english.headline != spanish.headline


def test_an_outage_says_its_title_and_eta_and_not_to_restart():
    facts = Facts(
        now=NOW,
        account_status="active",
        outages=(
            OutageFacts(
                outage_id=1,
                maintenance=False,
                title="Fiber cut on Main St",
                starts_at=NOW - HOUR,
                eta=NOW + 2 * HOUR,
                affects_internet=True,
            ),
        ),
    )
    words = explain(diagnose(facts), facts, language="en")
    assert words.headline == "There is an outage in your area"
    assert "Fiber cut on Main St" in words.detail
    assert "We expect it fixed by Dec. 4, 2026" in words.detail
    assert "no need to restart" in words.detail


def test_an_eta_gone_by_says_it_is_taking_longer():
    facts = Facts(
        now=NOW,
        account_status="active",
        outages=(
            OutageFacts(
                outage_id=1,
                maintenance=False,
                title="Storm damage",
                starts_at=NOW - 3 * HOUR,
                eta=NOW - HOUR,
                affects_internet=True,
            ),
        ),
    )
    words = explain(diagnose(facts), facts, language="es")
    assert "está tardando más" in words.detail


def test_a_device_is_named_by_what_it_is_in_a_sentence():
    facts = Facts(
        now=NOW,
        account_status="active",
        devices=(
            DeviceFacts(equipment_id=1, kind="gateway", name="XB7", status=DeviceStatus.ONLINE),
            DeviceFacts(equipment_id=2, kind="router", name="AX", status=DeviceStatus.OFFLINE),
        ),
    )
    assert explain(diagnose(facts), facts, language="en").findings == (
        "Your Wi-Fi router is offline.",
    )
    signal = Facts(
        now=NOW,
        account_status="active",
        devices=(
            DeviceFacts(
                equipment_id=1,
                kind="modem",
                name="SB8200",
                status=DeviceStatus.ONLINE,
                signal_problems=("downstream_power_low",),
            ),
        ),
    )
    words = explain(diagnose(signal), signal, language="en")
    assert words.headline == "The signal to your modem is out of range"
    assert words.detail.startswith("Your modem is online, but the signal coming in is too weak.")
