"""The key push notifications are signed with: from the environment (checked at
start-up), or made once under var/ and kept; never in a log or an error."""

from __future__ import annotations

import io
import logging
import os
import subprocess
import sys

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.core.management import call_command

from dropline.config import ConfigError, env_vapid_keys, env_vapid_subject
from dropline.notifications.channels.vapid import application_server_key, b64url, vapid_key
from tests.support.push_service import public_key_of

PRIVATE = "DROPLINE_VAPID_PRIVATE_KEY"
PUBLIC = "DROPLINE_VAPID_PUBLIC_KEY"


def _key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


def _raw(key: ec.EllipticCurvePrivateKey) -> str:
    return b64url(key.private_numbers().private_value.to_bytes(32, "big"))


def _public(key: ec.EllipticCurvePrivateKey) -> str:
    return b64url(
        key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
    )


def _pem(key: ec.EllipticCurvePrivateKey, form: serialization.PrivateFormat) -> str:
    return key.private_bytes(
        serialization.Encoding.PEM, form, serialization.NoEncryption()
    ).decode()


def test_the_private_key_is_read_as_pem_or_raw_and_its_public_key_checked(monkeypatch):
    key = _key()
    for text in (
        _raw(key),
        _raw(key) + "=",
        _pem(key, serialization.PrivateFormat.PKCS8),
        _pem(key, serialization.PrivateFormat.TraditionalOpenSSL),
        _pem(key, serialization.PrivateFormat.PKCS8).replace("\n", "\\n"),  # one env line
    ):
        monkeypatch.setenv(PRIVATE, text)
        monkeypatch.setenv(PUBLIC, _public(key))
        assert env_vapid_keys(PRIVATE, PUBLIC) == (_raw(key), _public(key))
    monkeypatch.delenv(PUBLIC)
    assert env_vapid_keys(PRIVATE, PUBLIC) == (_raw(key), _public(key))


def test_bad_keys_stop_start_up_without_repeating_them(monkeypatch):
    key = _key()
    monkeypatch.setenv(PRIVATE, _raw(key))
    monkeypatch.setenv(PUBLIC, _public(_key()))
    with pytest.raises(ConfigError, match="is not the public key of") as mismatch:
        env_vapid_keys(PRIVATE, PUBLIC)
    assert _raw(key) not in str(mismatch.value)

    rsa_like = "MIIBVQIBADANBgkqhkiG9w0BAQEFAASCAT8wggE7AgEAAkEA"
    for text in ("not-a-key", rsa_like, "A" * 43 + "=" * 1, b64url(b"\xff" * 32)):
        monkeypatch.setenv(PRIVATE, text)
        monkeypatch.delenv(PUBLIC, raising=False)
        with pytest.raises(ConfigError) as refused:
            env_vapid_keys(PRIVATE, PUBLIC)
        assert str(refused.value) == f"{PRIVATE} is not a P-256 (prime256v1) private key"

    monkeypatch.delenv(PRIVATE)
    monkeypatch.setenv(PUBLIC, _public(key))
    with pytest.raises(ConfigError, match="set both"):
        env_vapid_keys(PRIVATE, PUBLIC)
    monkeypatch.delenv(PUBLIC)
    assert env_vapid_keys(PRIVATE, PUBLIC) == ("", "")


def test_the_subject_is_a_contact(monkeypatch):
    name = "DROPLINE_VAPID_SUBJECT"
    monkeypatch.delenv(name, raising=False)
    assert env_vapid_subject(name, from_email="Riverbend <care@riverbend.example>") == (
        "mailto:care@riverbend.example"
    )
    monkeypatch.setenv(name, "https://riverbend.example/contact")
    assert env_vapid_subject(name, from_email="") == "https://riverbend.example/contact"
    monkeypatch.setenv(name, "care@riverbend.example")
    with pytest.raises(ConfigError, match=name):
        env_vapid_subject(name, from_email="")


def test_without_a_setting_a_key_is_made_once_and_kept(settings, tmp_path, caplog):
    settings.DROPLINE_VAPID_PRIVATE_KEY = ""
    settings.DROPLINE_VAPID_KEY_FILE = tmp_path / "keys" / "vapid_private_key.pem"
    with caplog.at_level(logging.INFO):
        first = application_server_key()
    path = settings.DROPLINE_VAPID_KEY_FILE
    assert oct(path.stat().st_mode)[-3:] == "600"
    text = path.read_text()
    assert text.startswith("-----BEGIN PRIVATE KEY-----")
    assert application_server_key() == first
    assert str(path) in caplog.text
    assert text.splitlines()[1] not in caplog.text
    assert "PRIVATE" not in repr(vapid_key())

    # a process that starts later reads the same key
    from dropline.notifications.channels import vapid

    vapid._from_file.cache_clear()
    assert application_server_key() == first
    assert path.read_text() == text


def test_the_setting_wins_over_the_file(settings, tmp_path):
    key = _key()
    settings.DROPLINE_VAPID_KEY_FILE = tmp_path / "vapid_private_key.pem"
    settings.DROPLINE_VAPID_PRIVATE_KEY = _raw(key)
    assert application_server_key() == _public(key)
    assert not settings.DROPLINE_VAPID_KEY_FILE.exists()


def test_pushkeys_prints_the_key_in_use_as_environment_lines(settings):
    key = _key()
    settings.DROPLINE_VAPID_PRIVATE_KEY = _raw(key)
    out = io.StringIO()
    call_command("pushkeys", stdout=out)
    assert out.getvalue().splitlines() == [
        f"DROPLINE_VAPID_PRIVATE_KEY={_raw(key)}",
        f"DROPLINE_VAPID_PUBLIC_KEY={_public(key)}",
    ]
    assert public_key_of(_raw(key)) == _public(key)
    public_only = io.StringIO()
    call_command("pushkeys", "--public", stdout=public_only)
    assert public_only.getvalue().splitlines() == [f"DROPLINE_VAPID_PUBLIC_KEY={_public(key)}"]


def test_a_malformed_key_stops_start_up_with_one_line_that_does_not_repeat_it(tmp_path):
    base = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG"}}
    secret_looking = "c2VjcmV0LWJ1dC1ub3QtYS1rZXk"
    result = subprocess.run(
        [sys.executable, "-m", "dropline", "check"],
        env={
            **base,
            "DJANGO_SETTINGS_MODULE": "dropline.settings",
            "DROPLINE_VAR_DIR": str(tmp_path),
            "DROPLINE_DEMO": "1",
            PRIVATE: secret_looking,
        },
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr == (
        f"dropline: configuration error: {PRIVATE} is not a P-256 (prime256v1) private key\n"
    )
    assert secret_looking not in result.stdout + result.stderr
