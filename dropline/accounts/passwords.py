"""The password policy (NIST SP 800-63B, OWASP ASVS 5.0 V6.2): long, not guessable.

What the policy is, as ``AUTH_PASSWORD_VALIDATORS`` in settings:

* at least 12 characters (Django's ``MinimumLengthValidator``) and at most 128
  (:class:`MaximumLengthValidator`): every length a password manager makes is allowed,
  and nobody can make the server hash a megabyte;
* no composition rules: any characters, spaces and emoji included, checked exactly as
  typed (the forms never strip or fold case);
* not one of the 20,000 most common passwords (Django's ``CommonPasswordValidator``);
* not too similar to the username, the email address or the person's name (Django's
  ``UserAttributeSimilarityValidator`` with :data:`SIMILARITY_ATTRIBUTES`);
* not made of words everyone knows about the person and the provider
  (:class:`ContextSpecificWordsValidator`: the provider's name, the product's name, the
  username and email address, and the words in them);
* optionally, not in a known data breach (``dropline.accounts.breach``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

MIN_LENGTH = 12
MAX_LENGTH = 128

# What UserAttributeSimilarityValidator compares the password with (and each word in it).
SIMILARITY_ATTRIBUTES = ("username", "email", "first_name", "last_name")

# Always context-specific, whatever the provider is called.
PRODUCT_WORDS = ("dropline", "password", "passwort", "contraseña", "contrasena")

# Words shorter than this are too common to refuse a password for containing them.
_MIN_WORD = 4
_SPLIT = re.compile(r"[\W_]+")


class MaximumLengthValidator:
    """Refuse passwords longer than ``max_length`` characters (Unicode code points)."""

    def __init__(self, max_length: int = MAX_LENGTH) -> None:
        if max_length < 64:
            raise ValueError("max_length must allow at least 64 characters (ASVS V6.2.9)")
        self.max_length = max_length

    def validate(self, password: str, user: object = None) -> None:
        if len(password) > self.max_length:
            raise ValidationError(
                ngettext(
                    "This password is too long. Use at most %(max_length)d character.",
                    "This password is too long. Use at most %(max_length)d characters.",
                    self.max_length,
                ),
                code="password_too_long",
                params={"max_length": self.max_length},
            )

    def get_help_text(self) -> str:
        return ngettext(
            "Your password can be up to %(max_length)d character long.",
            "Your password can be up to %(max_length)d characters long.",
            self.max_length,
        ) % {"max_length": self.max_length}


def _fold(text: str) -> str:
    """Lower case without accents, so "Riverbénd" and "RIVERBEND" are the same word."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _words(values: Iterable[str]) -> list[str]:
    """Each value whole and split into its words, longest first, short ones dropped."""
    found: set[str] = set()
    for value in values:
        folded = _fold(value).strip()
        if len(folded) >= _MIN_WORD:
            found.add(folded)
        found.update(part for part in _SPLIT.split(folded) if len(part) >= _MIN_WORD)
    return sorted(found, key=lambda word: (-len(word), word))


class ContextSpecificWordsValidator:
    """Refuse a password that is little more than words everyone knows (ASVS V6.2.11).

    The known words are the provider's name (``DROPLINE_PROVIDER_NAME``), the product's
    name, any in ``DROPLINE_PASSWORD_CONTEXT_WORDS``, and the person's username and
    email address. Once they are taken out of the password, what is left must still be
    at least ``min_remaining`` characters long, so "Riverbend2025!" and
    "maria.lopez-1985" are refused but "riverbend trout fishing season" is not.
    """

    def __init__(self, min_remaining: int = MIN_LENGTH) -> None:
        self.min_remaining = min_remaining

    def context_words(self, user: object = None) -> list[str]:
        values = [
            str(getattr(settings, "DROPLINE_PROVIDER_NAME", "")),
            *PRODUCT_WORDS,
            *getattr(settings, "DROPLINE_PASSWORD_CONTEXT_WORDS", ()),
        ]
        if user is not None:
            for attribute in ("username", "email"):
                value = getattr(user, attribute, None)
                if isinstance(value, str) and value:
                    values.append(value)
        return _words(values)

    def validate(self, password: str, user: object = None) -> None:
        remaining = _fold(password)
        found = False
        for word in self.context_words(user):
            if word in remaining:
                found = True
                remaining = remaining.replace(word, "")
        if found and len(remaining) < self.min_remaining:
            raise ValidationError(
                _(
                    "This password is mostly words anyone could guess, such as your username "
                    "or our name. Add some words of your own."
                ),
                code="password_context_specific",
            )

    def get_help_text(self) -> str:
        return _("Your password cannot be mostly your username, email address or our name.")
