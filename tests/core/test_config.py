import os
import subprocess
import sys

import pytest
from django.db.backends.sqlite3.base import DatabaseWrapper

from dropline.config import (
    ConfigError,
    database_from_url,
    email_from_url,
    redact_url,
    secret_key_fallbacks,
)


def run_dropline(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG"}}
    return subprocess.run(
        [sys.executable, "-m", "dropline", *args],
        env={**base, "DJANGO_SETTINGS_MODULE": "dropline.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_missing_secret_key_stops_start_up_with_one_line(tmp_path):
    result = run_dropline("check", env={"DROPLINE_VAR_DIR": str(tmp_path)})
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert "SECRET_KEY is not set" in result.stderr
    assert "Traceback" not in result.stderr


def test_earlier_secret_keys_are_read_and_checked(monkeypatch):
    monkeypatch.setenv("SECRET_KEY_FALLBACKS", f" {'a' * 40}, ,{'b' * 50} ")
    assert secret_key_fallbacks() == ["a" * 40, "b" * 50]
    monkeypatch.setenv("SECRET_KEY_FALLBACKS", "short")
    with pytest.raises(ConfigError, match="SECRET_KEY_FALLBACKS"):
        secret_key_fallbacks()
    monkeypatch.delenv("SECRET_KEY_FALLBACKS")
    assert secret_key_fallbacks() == []


def test_malformed_database_url_is_one_line_without_the_password(tmp_path):
    result = run_dropline(
        "check",
        env={
            "DROPLINE_VAR_DIR": str(tmp_path),
            "DROPLINE_DEMO": "1",
            "DATABASE_URL": "mysqlx://admin:hunter2@db/dropline",
        },
    )
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert "DATABASE_URL" in result.stderr
    assert "hunter2" not in result.stderr
    assert "Traceback" not in result.stderr


def test_demo_generates_and_keeps_its_own_secret(tmp_path):
    env = {"DROPLINE_VAR_DIR": str(tmp_path), "DROPLINE_DEMO": "1"}
    assert run_dropline("check", env=env).returncode == 0
    secret = (tmp_path / "secret_key").read_text()
    assert len(secret) >= 50
    assert run_dropline("check", env=env).returncode == 0
    assert (tmp_path / "secret_key").read_text() == secret
    assert oct((tmp_path / "secret_key").stat().st_mode)[-3:] == "600"


def test_production_settings_pass_the_deploy_check(tmp_path):
    result = run_dropline(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env={
            "DROPLINE_VAR_DIR": str(tmp_path),
            "SECRET_KEY": "x7#Lq9!vTz2@pW4mRk8$Yb1^Nc6&Hd3*Jf5(Gs0)Ua-Ve+Xi=Ow~Pl",
            "ALLOWED_HOSTS": "portal.example.net",
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.django_db
def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(tmp_path):
    config = database_from_url(f"sqlite:///{tmp_path / 'db.sqlite3'}")
    wrapper = DatabaseWrapper(
        {
            **config,
            "TIME_ZONE": None,
            "CONN_HEALTH_CHECKS": False,
            "CONN_MAX_AGE": 0,
            "AUTOCOMMIT": True,
            "ATOMIC_REQUESTS": False,
            "TEST": {},
        },
        alias="probe",
    )
    try:
        with wrapper.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            assert cursor.fetchone()[0] == "wal"
            cursor.execute("PRAGMA busy_timeout")
            assert cursor.fetchone()[0] == 20000
    finally:
        wrapper.close()


def test_postgres_urls_get_a_connection_pool():
    config = database_from_url("postgres://postgres@127.0.0.1:5432/dropline")
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert config["OPTIONS"]["pool"]["max_size"] >= 1


@pytest.mark.parametrize(
    "url", ["ftp://x/y", "postgres://user:pw@host:5432", "sqlite://", "nonsense"]
)
def test_bad_database_urls_raise_config_errors(url):
    with pytest.raises(ConfigError):
        database_from_url(url)


def test_email_url_configures_smtp_with_starttls():
    config = email_from_url("smtp://mailer:s3cret@mail.example.net:587?tls=1")
    assert config["EMAIL_HOST"] == "mail.example.net"
    assert config["EMAIL_PORT"] == 587
    assert config["EMAIL_USE_TLS"] is True
    assert config["EMAIL_HOST_PASSWORD"] == "s3cret"


def test_unknown_email_scheme_is_refused_without_the_password():
    with pytest.raises(ConfigError) as caught:
        email_from_url("pigeon://user:pw@coop")
    assert "pw" not in str(caught.value).replace("pigeon", "")


def test_redact_url_hides_only_the_password():
    assert redact_url("postgres://u:secret@h:5432/d") == "postgres://u:***@h:5432/d"
    assert redact_url("sqlite:///var/db") == "sqlite:///var/db"
