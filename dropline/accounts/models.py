from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _

from dropline.accounts.devices import device_label


class User(AbstractUser):
    """A person who signs in: a customer, an authorized user or a member of staff."""

    email = models.EmailField(_("email address"), blank=True, db_index=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=8, blank=True, default=""
    )

    class Meta:
        swappable = "AUTH_USER_MODEL"
        verbose_name = _("user")
        verbose_name_plural = _("users")
        # Sign-in looks logins up case-insensitively (allauth's ``username__iexact``,
        # ``queries.user_for_login``): UPPER(...) = UPPER(...) on PostgreSQL.
        indexes = [
            models.Index(Upper("username"), name="user_username_upper"),
            models.Index(Upper("email"), name="user_email_upper"),
        ]


# Second factors beyond allauth's (which keeps authenticator apps, passkeys and
# recovery codes in ``mfa.Authenticator``): a person's choices, and text-message codes.


class SecondFactorMethod(models.TextChoices):
    AUTHENTICATOR_APP = "totp", _("Authenticator app")
    PASSKEY = "webauthn", _("Passkey or security key")
    TEXT_MESSAGE = "sms", _("Text message")


class SecondFactorPreference(models.Model):
    """The factor a person is asked for first, and when they last stopped trusting browsers.

    A "trust this browser" cookie issued at or before ``trusted_browsers_revoked_at``
    no longer skips the second factor.
    """

    user = models.OneToOneField(
        User, on_delete=models.CASCADE, related_name="second_factor_preference"
    )
    default_method = models.CharField(
        _("ask first for"), max_length=16, choices=SecondFactorMethod.choices, blank=True
    )
    trusted_browsers_revoked_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField()

    class Meta:
        verbose_name = _("second-factor preference")
        verbose_name_plural = _("second-factor preferences")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.default_method or '-'}"


class SmsSecondFactor(models.Model):
    """Codes by text message to one of the person's verified mobile numbers."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="sms_second_factor")
    contact = models.ForeignKey(
        "notifications.ContactPoint",
        # The number cannot be removed while it receives sign-in codes; deleting the
        # person removes both.
        on_delete=models.RESTRICT,
        related_name="+",
        verbose_name=_("mobile number"),
    )
    created_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("text-message second factor")
        verbose_name_plural = _("text-message second factors")

    def __str__(self) -> str:
        return f"SMS for {self.user_id}"


class SmsSignInCode(models.Model):
    """One code sent at sign-in: kept as a keyed hash, single-use, short-lived, few tries."""

    factor = models.ForeignKey(SmsSecondFactor, on_delete=models.CASCADE, related_name="codes")
    code_hash = models.CharField(max_length=128)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["factor", "created_at"], name="sms_code_recent")]

    def __str__(self) -> str:
        return f"sign-in code for factor {self.factor_id}"


# Security events: every sign-in, failure, lockout and change to how a person signs in.


class SecurityEventKind(models.TextChoices):
    SIGN_IN = "sign_in", _("Signed in")
    SIGN_IN_FAILED = "sign_in_failed", _("Failed sign-in")
    SECOND_FACTOR_FAILED = "second_factor_failed", _("Wrong second-step code")
    LOCKED_OUT = "locked_out", _("Sign-in paused after too many attempts")
    RATE_LIMITED = "rate_limited", _("Too many requests")
    SIGN_OUT = "sign_out", _("Signed out")
    SESSION_ENDED = "session_ended", _("Session ended")
    TRUSTED_BROWSER_REVOKED = "trusted_browser_revoked", _("Trusted browsers forgotten")
    SECOND_FACTOR_ADDED = "second_factor_added", _("Second factor added")
    SECOND_FACTOR_REMOVED = "second_factor_removed", _("Second factor removed")
    RECOVERY_CODES_GENERATED = "recovery_codes_generated", _("New recovery codes")
    PASSWORD_CHANGED = "password_changed", _("Password changed")
    PASSWORD_SET = "password_set", _("Password set")
    PASSWORD_RESET = "password_reset", _("Password reset")
    EMAIL_ADDED = "email_added", _("Email address added")
    EMAIL_REMOVED = "email_removed", _("Email address removed")
    EMAIL_CHANGED = "email_changed", _("Email address changed")
    PHONE_CHANGED = "phone_changed", _("Mobile number changed")
    PAYMENT_METHOD_ADDED = "payment_method_added", _("Payment method added")
    PAYMENT_METHOD_REMOVED = "payment_method_removed", _("Payment method removed")


class SecurityEvent(models.Model):
    """One authentication event: when, what, from which IP address and device.

    Append-only. ``user`` is empty for a failed sign-in to an account that does not
    exist; what was typed is never kept (it may be someone else's address, or a
    password typed in the wrong box). Addresses in ``data`` are masked.
    """

    user = models.ForeignKey(
        User,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="security_events",
        verbose_name=_("person"),
    )
    kind = models.CharField(_("what"), max_length=32, choices=SecurityEventKind.choices)
    at = models.DateTimeField(_("when"), db_index=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("user agent"), max_length=300, blank=True)
    browser = models.CharField(_("browser"), max_length=40, blank=True)
    os = models.CharField(_("operating system"), max_length=40, blank=True)
    device_fingerprint = models.CharField(max_length=32, blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("security event")
        verbose_name_plural = _("security events")
        indexes = [
            models.Index(fields=["user", "-at"], name="security_event_user_at"),
            models.Index(fields=["ip", "-at"], name="security_event_ip_at"),
            models.Index(fields=["kind", "-at"], name="security_event_kind_at"),
            models.Index(
                fields=["user", "kind", "device_fingerprint"], name="security_event_device"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.kind} {self.user_id or '-'}"

    @property
    def device_label(self) -> str:
        """ "Chrome on Windows", in the current language."""
        return device_label(browser=self.browser, os=self.os)
