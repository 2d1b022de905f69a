"""A new login: its details' form and the password rules (``signup_errors``, which never
looks at other logins), whether the username or address is taken (``taken_errors``, asked
only once the person has proved the account), and creating it with its sign-in email
address unverified (``create_login``)."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from dropline.accounts.models import User


def normalize_email(text: str) -> str:
    return text.strip().lower()


def signup_errors(*, username: str, email: str, password: str) -> dict[str, list[str]]:
    """What is wrong with the new login's details, whoever the account: the username's
    characters, the email's form and the password rules (length, common, similar to the
    username or email). Never looks at existing logins, so it tells nothing."""
    errors: dict[str, list[str]] = {}
    if not username:
        errors["username"] = [_("Choose a username.")]
    else:
        try:
            User._meta.get_field("username").run_validators(username)
        except ValidationError as exc:
            errors["username"] = list(exc.messages)
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = [_("Enter a valid email address.")]
    try:
        validate_password(password, user=User(username=username, email=email))
    except ValidationError as exc:
        errors["password"] = list(exc.messages)
    return errors


def taken_errors(*, username: str, email: str) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if User.objects.filter(username__iexact=username).exists():
        errors["username"] = [_("This username is taken. Choose another.")]
    if (
        EmailAddress.objects.filter(email__iexact=email).exists()
        or User.objects.filter(email__iexact=email).exists()
    ):
        errors["email"] = [
            _(
                "This email address already has a login. Sign in with it and add the "
                "account from there, or use another address."
            )
        ]
    return errors


def create_login(*, username: str, email: str, password_hash: str, language: str) -> User:
    user = User(
        username=username,
        email=email,
        preferred_language=language if language in dict(settings.LANGUAGES) else "",
    )
    user.password = password_hash
    user.save()
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=False)
    return user
