"""Collectors: added with a password shown once and stored only as a hash, signed in
fast, revoked for good, every change audited; and the ``dropline collectors`` command."""

from __future__ import annotations

import hashlib
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from dropline.core.models import AuditEvent
from dropline.usage import collectors
from dropline.usage.errors import UsageError
from dropline.usage.models import Collector
from tests.support.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_process_caches():
    collectors.forget_all()
    yield
    collectors.forget_all()


def test_a_new_collector_gets_a_long_random_password_kept_only_as_its_sha256():
    admin = make_user(username="admin", is_staff=True)
    collector, password = collectors.add_collector(name="radius-east-1", actor=admin)
    assert len(password) >= 32
    stored = Collector.objects.get(pk=collector.pk)
    assert password not in stored.password_digest
    assert stored.password_digest == hashlib.sha256(password.encode()).hexdigest()
    assert stored.is_active
    event = AuditEvent.objects.get(action=collectors.ADDED)
    assert (event.actor, event.target_label) == (admin, "radius-east-1")
    assert password not in str(event.data)


def test_two_collectors_never_share_a_password():
    _one, first = collectors.add_collector(name="a")
    _two, second = collectors.add_collector(name="b")
    assert first != second


@pytest.mark.parametrize("name", ["", "has space", "slash/no", "x" * 61, "ünï"])
def test_a_name_that_is_not_a_short_slug_is_refused(name):
    with pytest.raises(UsageError) as raised:
        collectors.add_collector(name=name)
    assert raised.value.field == "name"
    assert not Collector.objects.exists()
    assert not AuditEvent.objects.exists()


def test_a_name_already_taken_is_refused():
    collectors.add_collector(name="radius-1")
    with pytest.raises(UsageError, match="already a collector named radius-1"):
        collectors.add_collector(name="radius-1")
    assert Collector.objects.count() == 1


def test_the_right_credentials_sign_in_and_nothing_else_does():
    collector, password = collectors.add_collector(name="radius-1")
    _other, other_password = collectors.add_collector(name="radius-2")
    assert collectors.authenticate("radius-1", password) == collector
    assert collectors.authenticate("radius-1", other_password) is None
    assert collectors.authenticate("radius-2", password) is None
    assert collectors.authenticate("radius-3", password) is None
    assert collectors.authenticate("radius-1", "") is None
    assert collectors.authenticate("", password) is None
    assert collectors.authenticate("radius-1", password + "x") is None


def test_a_busy_collector_is_looked_up_once_every_few_seconds(django_assert_num_queries):
    _collector, password = collectors.add_collector(name="radius-1")
    with django_assert_num_queries(1):
        for _ in range(50):
            assert collectors.authenticate("radius-1", password) is not None


def test_a_revoked_collector_is_refused_at_once_in_the_process_that_revoked_it():
    admin = make_user(username="admin", is_staff=True)
    collector, password = collectors.add_collector(name="radius-1")
    assert collectors.authenticate("radius-1", password) is not None  # now cached
    collectors.revoke_collector(collector_id=collector.pk, actor=admin)
    assert collectors.authenticate("radius-1", password) is None
    collector.refresh_from_db()
    assert not collector.is_active
    assert AuditEvent.objects.filter(action=collectors.REVOKED, actor=admin).count() == 1
    with pytest.raises(UsageError, match="already revoked"):
        collectors.revoke_collector(collector_id=collector.pk, actor=admin)
    with pytest.raises(UsageError, match="no such collector"):
        collectors.revoke_collector(collector_id=collector.pk + 100, actor=admin)


def test_wrong_credentials_from_one_address_are_refused_after_the_limit():
    _collector, password = collectors.add_collector(name="radius-1")
    limit = collectors.FAILURES_PER_IP.count
    for _ in range(limit):
        with pytest.raises(collectors.CollectorRefusedError) as raised:
            collectors.sign_in(name="radius-1", password="guess", ip="192.0.2.7")
        assert raised.value.retry_after is None
    with pytest.raises(collectors.CollectorRefusedError) as raised:
        collectors.sign_in(name="radius-1", password=password, ip="192.0.2.7")
    assert raised.value.retry_after is not None  # even the right password waits
    # another address is not held back
    assert collectors.sign_in(name="radius-1", password=password, ip="192.0.2.8")


def test_touch_writes_the_last_record_at_most_every_few_seconds(django_assert_num_queries):
    collector, _password = collectors.add_collector(name="radius-1")
    with django_assert_num_queries(1):
        assert collectors.touch(collector.pk)
        for _ in range(20):
            assert not collectors.touch(collector.pk)
    collector.refresh_from_db()
    assert collector.last_record_at is not None


# --- the command ----------------------------------------------------------------------------


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("collectors", *args, stdout=out)
    return out.getvalue()


def test_add_prints_the_password_on_its_last_line_and_it_works():
    output = run("add", "radius-east-1")
    password = output.strip().splitlines()[-1]
    assert collectors.authenticate("radius-east-1", password) is not None
    assert AuditEvent.objects.filter(action=collectors.ADDED).count() == 1


def test_list_shows_active_and_revoked_collectors_and_never_a_password():
    first = run("add", "radius-1").strip().splitlines()[-1]
    run("add", "radius-2")
    run("revoke", "radius-2")
    listing = run("list")
    assert "radius-1" in listing
    assert "active" in listing
    assert "radius-2" in listing
    assert "revoked" in listing
    assert first not in listing
    assert Collector.objects.get(name="radius-1").password_digest not in listing


def test_the_command_says_what_is_wrong():
    with pytest.raises(CommandError, match="no collector named nobody"):
        run("revoke", "nobody")
    run("add", "radius-1")
    with pytest.raises(CommandError, match="already a collector"):
        run("add", "radius-1")
    assert "No collectors" not in run("list")
