"""The Wi-Fi rules: a network name and a password that every WPA2 or WPA3 device takes,
and a clear reason for each refusal."""

from __future__ import annotations

import string

from hypothesis import given
from hypothesis import strategies as st

from dropline.network.wifi import passphrase_problem, ssid_problem

PRINTABLE = st.characters(min_codepoint=0x20, max_codepoint=0x7E)


def test_a_plain_network_name_is_fine():
    assert ssid_problem("Garcia Home") == ""
    assert ssid_problem("x") == ""
    assert ssid_problem("Casa García 🏠") == ""


def test_a_network_name_must_be_there_and_at_most_32_bytes():
    assert ssid_problem("") == "Enter a network name."
    assert ssid_problem("a" * 32) == ""
    assert "at most 32 bytes" in ssid_problem("a" * 33)
    # 16 two-byte letters are 32 bytes; one more is too many, although only 17 letters.
    assert ssid_problem("é" * 16) == ""
    assert "at most 32 bytes" in ssid_problem("é" * 17)


def test_a_network_name_has_no_space_at_either_end_and_no_control_characters():
    assert ssid_problem(" Home") == "A network name cannot start or end with a space."
    assert ssid_problem("Home ") == "A network name cannot start or end with a space."
    assert "control characters" in ssid_problem("Home\tNet")
    assert "control characters" in ssid_problem("Home\nNet")
    assert "control characters" in ssid_problem("Home\x00")


@given(st.text(min_size=1, max_size=40))
def test_any_name_is_either_accepted_or_refused_for_a_stated_rule(ssid):
    problem = ssid_problem(ssid)
    fits = (
        len(ssid.encode()) <= 32
        and ssid == ssid.strip(" ")
        and not any(ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0 for c in ssid)
    )
    assert (problem == "") == fits


@given(st.text(PRINTABLE, min_size=8, max_size=63))
def test_8_to_63_printable_characters_suit_every_security(passphrase):
    for security in ("WPA2", "WPA3", "WPA2/WPA3"):
        assert passphrase_problem(passphrase, security=security, ssid="\x01never") == ""


@given(st.text(PRINTABLE, max_size=7) | st.text(PRINTABLE, min_size=64, max_size=80))
def test_shorter_or_longer_passwords_are_refused(passphrase):
    hex_key = len(passphrase) == 64 and all(c in string.hexdigits for c in passphrase)
    for security in ("WPA3", "WPA2/WPA3"):
        assert passphrase_problem(passphrase, security=security, ssid="Home") == (
            "A Wi-Fi password must be 8 to 63 characters long."
        )
    wpa2 = passphrase_problem(passphrase, security="WPA2", ssid="Home")
    assert (wpa2 == "") == hex_key


@given(st.text(alphabet="0123456789abcdefABCDEF", min_size=64, max_size=64))
def test_64_hex_digits_are_a_wpa2_key_but_not_a_wpa3_password(key):
    assert passphrase_problem(key, security="WPA2", ssid="Home") == ""
    assert passphrase_problem(key, security="WPA3", ssid="Home") != ""
    assert passphrase_problem(key, security="WPA2/WPA3", ssid="Home") != ""


def test_accented_letters_and_emoji_are_not_allowed_in_a_password():
    for passphrase in ("contraseña123", "password🔒1", "tab\there12"):
        assert "letters without accents" in passphrase_problem(
            passphrase, security="WPA2", ssid="Home"
        )


def test_the_password_is_never_the_network_name():
    assert passphrase_problem("GarciaHome", security="WPA3", ssid="GarciaHome") == (
        "The Wi-Fi password cannot be the same as the network name."
    )
    assert passphrase_problem("GarciaHome", security="WPA2", ssid="GarciaHome2") == ""
