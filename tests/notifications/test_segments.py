"""SMS segment counting: what a text costs, as the carrier bills it (3GPP TS 23.038)."""

from __future__ import annotations

import pytest

from dropline.notifications.channels.segments import count_segments

GSM_BASIC = (
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)


@pytest.mark.parametrize(
    ("text", "encoding", "units", "segments"),
    [
        ("", "GSM-7", 0, 0),
        ("a", "GSM-7", 1, 1),
        ("a" * 160, "GSM-7", 160, 1),
        ("a" * 161, "GSM-7", 161, 2),
        ("a" * 306, "GSM-7", 306, 2),  # 2 x 153: the rest carries the concatenation header
        ("a" * 307, "GSM-7", 307, 3),
        ("a" * 459, "GSM-7", 459, 3),
        ("a" * 460, "GSM-7", 460, 4),
    ],
)
def test_plain_gsm7_text(text, encoding, units, segments):
    count = count_segments(text)
    assert (count.encoding, count.units, count.segments) == (encoding, units, segments)


@pytest.mark.parametrize("char", [*"€[]{}^~|\\", "\f"])
def test_extended_characters_take_two_septets(char):
    assert count_segments(char).units == 2
    assert count_segments("a" * 158 + char) == count_segments("a" * 160)
    over = count_segments("a" * 159 + char)
    assert (over.encoding, over.units, over.segments) == ("GSM-7", 161, 2)


def test_a_text_of_euros():
    assert count_segments("€" * 80).segments == 1
    assert count_segments("€" * 81).segments == 2


def test_every_basic_gsm_character_keeps_gsm7():
    count = count_segments(GSM_BASIC)
    assert count.encoding == "GSM-7"
    assert count.units == len(GSM_BASIC)


@pytest.mark.parametrize("char", list("ñÑüÜäöÄÖàèéùìòÇ¿¡"))
def test_spanish_and_other_letters_in_the_gsm_table(char):
    assert count_segments(f"Señal restablecida {char}").encoding == "GSM-7"


# curly quotes and dashes that word processors put in: not in the GSM table
@pytest.mark.parametrize(
    "char", [*"áíóúÁÍÓÚçê", "\u2018", "\u2019", "\u201c", "\u2014", "\U0001f600"]
)
def test_a_character_outside_the_gsm_table_switches_the_whole_text_to_ucs2(char):
    count = count_segments("a" * 10 + char)
    assert count.encoding == "UCS-2"


@pytest.mark.parametrize(
    ("text", "units", "segments"),
    [
        ("á" * 70, 70, 1),
        ("á" * 71, 71, 2),
        ("á" * 134, 134, 2),  # 2 x 67
        ("á" * 135, 135, 3),
        ("Corte de servicio en su área", 28, 1),
    ],
)
def test_ucs2_limits_are_70_then_67(text, units, segments):
    count = count_segments(text)
    assert (count.encoding, count.units, count.segments) == ("UCS-2", units, segments)


def test_an_emoji_counts_as_two_utf16_units():
    count = count_segments("😀" * 35)
    assert (count.encoding, count.units, count.segments) == ("UCS-2", 70, 1)
    count = count_segments("😀" * 36)
    assert (count.encoding, count.units, count.segments) == ("UCS-2", 72, 2)


def test_one_accent_makes_a_long_text_cost_more():
    plain = "Su servicio de internet esta restablecido. " * 3
    accented = plain.replace("esta", "está", 1)
    assert count_segments(plain).segments == 1
    assert count_segments(accented).segments == 2
