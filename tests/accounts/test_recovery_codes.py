"""Recovery codes stored as hashes, and authenticator-app secrets sealed at rest.

What a copy of the database gives away is what these tests look at: no recovery code
and no authenticator-app secret can be read from it, yet every code still works once.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal import auth as allauth_auth
from allauth.mfa.recovery_codes.internal import flows as allauth_flows
from django.apps import apps
from django.db import connection
from django.test import Client
from django.urls import reverse

from dropline.accounts import recovery_codes, sealed
from dropline.accounts.recovery_codes import HashedRecoveryCodes
from dropline.accounts.second_factor import enrol_authenticator_app
from tests.support.factories import PASSWORD, STAFF_TOTP_SECRET, make_user
from tests.support.totp import code_with_time_to_spare

pytestmark = pytest.mark.django_db

SEAL_MIGRATION = "dropline.accounts.migrations.0004_seal_second_factor_secrets"


def stored_row(authenticator: Authenticator) -> str:
    """The authenticator's row as the database holds it, whatever the ORM makes of it."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT data FROM mfa_authenticator WHERE id = %s", [authenticator.pk])
        (data,) = cursor.fetchone()
    return data if isinstance(data, str) else json.dumps(data)


def new_codes(username: str) -> tuple[Authenticator, list[str]]:
    user = make_user(username=username, second_factor=True)
    wrapper = HashedRecoveryCodes.activate(user)
    return wrapper.instance, wrapper.get_unused_codes()


def fresh(authenticator: Authenticator) -> Any:
    return Authenticator.objects.get(pk=authenticator.pk).wrap()


def test_allauth_uses_the_hashed_codes_everywhere():
    assert allauth_auth.RecoveryCodes is HashedRecoveryCodes
    assert allauth_flows.RecoveryCodes is HashedRecoveryCodes
    authenticator, _ = new_codes("una")
    assert isinstance(authenticator.wrap(), HashedRecoveryCodes)


def test_ten_distinct_codes_of_fifty_bits_each():
    _, codes = new_codes("una")
    assert len(codes) == len(set(codes)) == 10
    for code in codes:
        assert len(code) == 11
        assert code[5] == "-"
        assert set(code.replace("-", "")) <= set(recovery_codes.ALPHABET)


def test_no_code_is_in_the_database_before_or_after_it_is_shown():
    authenticator, codes = new_codes("vera")
    before = stored_row(authenticator)
    assert set(authenticator.data) == {"salt", "hashes", "used_mask", "pending"}
    assert sealed.is_sealed(authenticator.data["pending"])
    for code in codes:
        assert code not in before
        assert code.replace("-", "") not in before

    wrapper = fresh(authenticator)
    wrapper.mark_as_viewed()
    assert wrapper.get_unused_codes() == codes  # still on the page being shown...
    after = stored_row(authenticator)
    assert "pending" not in json.loads(after)  # ...but the sealed copy is gone
    later = fresh(authenticator)
    assert later.get_unused_codes() == [recovery_codes.HIDDEN] * 10
    assert later.did_view

    # Only hashes remain, and each code still works exactly once.
    assert later.validate_code(codes[4]) is True
    assert fresh(authenticator).validate_code(codes[4]) is False
    assert len(fresh(authenticator).get_unused_codes()) == 9


@pytest.mark.parametrize("typed", ["{code}", "{lower}", "{bare}", " {bare} ", "{confused}"])
def test_a_code_is_accepted_however_it_is_typed(typed):
    authenticator, codes = new_codes("walt")
    code = next(c for c in codes if "0" in c or "1" in c) if typed == "{confused}" else codes[0]
    confused = code.replace("0", "O").replace("1", "l")
    attempt = typed.format(
        code=code, lower=code.lower(), bare=code.replace("-", ""), confused=confused
    )
    if typed == "{confused}" and confused == code:
        pytest.skip("no code with a 0 or a 1 this time")
    assert fresh(authenticator).validate_code(attempt) is True


def test_wrong_and_empty_codes_are_refused_and_spend_nothing():
    authenticator, codes = new_codes("xena")
    wrapper = fresh(authenticator)
    for attempt in ["", "-----", "0000000000", codes[0][:-1], codes[0] + "0"]:
        assert wrapper.validate_code(attempt) is False
    assert Authenticator.objects.get(pk=authenticator.pk).data["used_mask"] == 0


def test_the_hashes_need_the_server_key(settings):
    """The hash is keyed by SECRET_KEY: with the database alone a code cannot be checked."""
    authenticator, codes = new_codes("yuri")
    old_key = settings.SECRET_KEY
    settings.SECRET_KEY = "another-secret-key-of-enough-length-0123456789abcdef"
    assert fresh(authenticator).validate_code(codes[0]) is False
    # Rotating the key keeps the codes working while the old key is a fallback.
    settings.SECRET_KEY_FALLBACKS = [old_key]
    assert fresh(authenticator).validate_code(codes[0]) is True


def test_the_authenticator_app_secret_is_sealed_and_still_works(settings):
    user = make_user(username="zoe")
    app = enrol_authenticator_app(user=user, secret=STAFF_TOTP_SECRET)
    assert STAFF_TOTP_SECRET not in stored_row(app)
    assert sealed.is_sealed(app.data["secret"])
    assert (
        Authenticator.objects.get(pk=app.pk)
        .wrap()
        .validate_code(code_with_time_to_spare(STAFF_TOTP_SECRET))
    )
    # Tampering is detected, not silently accepted.
    settings.SECRET_KEY = "another-secret-key-of-enough-length-0123456789abcdef"
    with pytest.raises(sealed.SealError):
        sealed.unseal(app.data["secret"])


def test_the_migration_hashes_allauths_seed_codes_and_seals_old_secrets():
    """Rows written before this change: allauth's seed and an unsealed app secret."""
    user = make_user(username="abe")
    seed = allauth_auth.RecoveryCodes.generate_seed()
    legacy = Authenticator.objects.create(
        user=user, type="recovery_codes", data={"seed": seed, "used_mask": 0b10}
    )
    old_codes = recovery_codes.AllauthRecoveryCodes(legacy).generate_codes()
    app = Authenticator.objects.create(user=user, type="totp", data={"secret": STAFF_TOTP_SECRET})

    migration = __import__(SEAL_MIGRATION, fromlist=["seal_secrets"])
    migration.seal_secrets(apps, None)
    migration.seal_secrets(apps, None)  # running it again changes nothing

    converted = Authenticator.objects.get(pk=legacy.pk)
    assert "seed" not in converted.data
    assert seed not in stored_row(converted)
    assert converted.wrap().validate_code(old_codes[0]) is True
    assert fresh(converted).validate_code(old_codes[1]) is False  # was already used
    assert fresh(converted).validate_code(old_codes[2]) is True
    sealed_app = Authenticator.objects.get(pk=app.pk)
    assert STAFF_TOTP_SECRET not in stored_row(sealed_app)
    assert sealed_app.wrap().validate_code(code_with_time_to_spare(STAFF_TOTP_SECRET))


def test_a_code_signs_in_on_the_web(client: Client):
    user = make_user(username="bea", second_factor=True)
    codes = HashedRecoveryCodes.activate(user).get_unused_codes()
    response: Any = client.post(reverse("account_login"), {"login": "bea", "password": PASSWORD})
    assert response.status_code == 302
    assert response.url == reverse("mfa_authenticate")
    done: Any = client.post(reverse("mfa_authenticate"), {"code": codes[0].lower()})
    assert done.status_code == 302
    assert Authenticator.objects.get(user=user, type="recovery_codes").data["used_mask"] == 1
