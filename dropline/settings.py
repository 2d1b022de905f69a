"""Django settings, all from the environment (see docs/OPERATIONS.md)."""

from __future__ import annotations

import datetime as dt
import os
from typing import Any

from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from dropline.config import (
    BASE_DIR,
    VAR_DIR,
    ConfigError,
    database_from_url,
    default_database_url,
    email_from_url,
    env_bool,
    env_choice,
    env_frn,
    env_http_url,
    env_int,
    env_list,
    env_phone,
    env_vapid_keys,
    env_vapid_subject,
    secret_key,
    secret_key_fallbacks,
)
from dropline.core.logs import logging_config

DEMO = env_bool("DROPLINE_DEMO", default=False)
DEBUG = env_bool("DEBUG", default=False)
SECRET_KEY = secret_key(demo=DEMO or DEBUG)
SECRET_KEY_FALLBACKS = secret_key_fallbacks()
ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if (DEMO or DEBUG) else []
)
if not ALLOWED_HOSTS:
    raise ConfigError("ALLOWED_HOSTS is not set: list the host names the portal answers to")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "dropline.backoffice.apps.BackofficeAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "dropline.backoffice.apps.SignInEmailConfig",  # allauth.account
    "dropline.backoffice.apps.SecondFactorsConfig",  # allauth.mfa
    "dropline.backoffice.apps.SignedInSessionsConfig",  # allauth.usersessions
    "allauth.headless",
    "ninja",
    "dropline.core",
    "dropline.accounts",
    "dropline.customers",
    "dropline.catalog",
    "dropline.subscriptions",
    "dropline.network",
    "dropline.usage",
    "dropline.ledger",
    "dropline.billing",
    "dropline.orders",
    "dropline.payments",
    "dropline.field",
    "dropline.helpdesk",
    "dropline.notifications",
    "dropline.identity",
    "dropline.portal",
    "dropline.api",
    "dropline.backoffice",
    "dropline.seeding",
]

# Behind load balancers (docs/OPERATIONS.md): the customer's address is read from
# X-Forwarded-For, DROPLINE_PROXY_COUNT entries from the right (each proxy adds one).
BEHIND_PROXY = env_bool("BEHIND_PROXY", default=False)
DROPLINE_PROXY_COUNT = env_int("DROPLINE_PROXY_COUNT", default=1, minimum=1, maximum=10)

MIDDLEWARE = [
    # Before anything reads it: the customer's address when behind a proxy.
    "dropline.core.client_address.ClientAddressMiddleware",
    # Then the request's id for every log line below, and its time as a whole.
    "dropline.core.request_id.RequestIdMiddleware",
    "dropline.core.metrics.RequestLatencyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "dropline.core.security.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Below WhiteNoise (static files keep their long cache headers), above everything
    # that answers: every page and API answer is sent with Cache-Control: no-store.
    "dropline.core.cache_control.NoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Right below the session: an answer that signs the browser out tells it to drop
    # its cache and storage for the site (the pages kept for offline reading).
    "dropline.portal.pwa.sign_out.ClearSiteDataOnSignOutMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "dropline.accounts.middleware.AbsoluteSessionLifetimeMiddleware",
]

ROOT_URLCONF = "dropline.urls"
WSGI_APPLICATION = "dropline.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "dropline" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "dropline.portal.context.portal",
            ],
        },
    },
]

DATABASES = {"default": database_from_url(os.environ.get("DATABASE_URL") or default_database_url())}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
CACHES: dict[str, dict[str, Any]]
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "dropline",
        }
    }
else:
    # Shared by every web process on the machine, so rate limits hold.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "dropline_cache",
            # Django's default of 300 entries would cull rate-limit counters and
            # used-code markers under load, letting an attacker guess again.
            "OPTIONS": {"MAX_ENTRIES": 1_000_000},
        }
    }

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "dropline.accounts.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "dropline.accounts.hashers.Argon2idHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
# The password policy (NIST SP 800-63B, OWASP ASVS 5.0 V6.2; see dropline/accounts/passwords.py):
# 12 to 128 characters, no composition rules, not common, not like the username, email
# or name, not mostly words anyone knows, and (when switched on) not in a known breach.
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ["username", "email", "first_name", "last_name"]},
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {
        "NAME": "dropline.accounts.passwords.MaximumLengthValidator",
        "OPTIONS": {"max_length": 128},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "dropline.accounts.passwords.ContextSpecificWordsValidator"},
    {"NAME": "dropline.accounts.breach.BreachedPasswordValidator"},
]
# Words that make a password easy to guess here, besides the provider's and product's
# names and the person's own username and email (comma-separated).
DROPLINE_PASSWORD_CONTEXT_WORDS = env_list("DROPLINE_PASSWORD_CONTEXT_WORDS", default=[])
# Refuse passwords found in data breaches with a k-anonymity range query (only the first
# five hex digits of the SHA-1 leave the server). Off by default; fails open.
DROPLINE_BREACHED_PASSWORD_CHECK = env_bool("DROPLINE_BREACHED_PASSWORD_CHECK", default=False)
DROPLINE_BREACHED_PASSWORD_API = (
    os.environ.get("DROPLINE_BREACHED_PASSWORD_API", "") or "https://api.pwnedpasswords.com"
)
if not DROPLINE_BREACHED_PASSWORD_API.startswith(("https://", "http://")):
    raise ConfigError(
        "DROPLINE_BREACHED_PASSWORD_API must be an http(s) URL, "
        f"not {DROPLINE_BREACHED_PASSWORD_API!r}"
    )
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "portal:overview"

# django-allauth
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_ADAPTER = "dropline.identity.adapter.AccountAdapter"
# allauth's forms without label colons or placeholders (dropline/identity/allauth_forms.py).
# The subject says the provider itself; no "[site]" prefix.
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
ACCOUNT_FORMS = {
    name: f"dropline.identity.allauth_forms.{form}"
    for name, form in [
        ("login", "LoginForm"),
        ("add_email", "AddEmailForm"),
        ("change_password", "ChangePasswordForm"),
        ("set_password", "SetPasswordForm"),
        ("reset_password", "ResetPasswordForm"),
        ("reset_password_from_key", "ResetPasswordKeyForm"),
        ("reauthenticate", "ReauthenticateForm"),
        ("confirm_email_verification_code", "ConfirmEmailVerificationCodeForm"),
    ]
}
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_PREVENT_ENUMERATION = True
# An address with no login is told so by email (after the same work as a real reset).
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = True
# allauth merges these with its defaults. Reset requests: the portal page's own limits
# (identity.recovery), so the app's headless request cannot send more mail than the web.
# Failed sign-ins (docs/OPERATIONS.md, "Sign-in throttling"): per address, per login
# *and* address (the adapter adds the address to allauth's key), and per account from
# all addresses together (dropline.accounts.sign_in_throttle).
ACCOUNT_RATE_LIMITS = {
    "reset_password": "10/h/ip,3/15m/key",
    "login_failed": "10/m/ip,5/5m/key",
    "login_failed_account": "20/h/key,60/d/key",
}
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = True
# Off: allauth offers a link or a code; Dropline puts its own code beside the link.
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
ACCOUNT_REAUTHENTICATION_TIMEOUT = 5 * 60
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
# A reset link lives as long as the code emailed beside it (reset_codes.CODE_LIFETIME).
PASSWORD_RESET_TIMEOUT = 15 * 60
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_ADAPTER = "dropline.identity.mfa_adapter.MFAAdapter"
MFA_FORMS = {
    "authenticate": "dropline.identity.mfa_adapter.AuthenticateForm",
    "reauthenticate": "dropline.identity.mfa_adapter.ReauthenticateForm",
    "activate_totp": "dropline.identity.mfa_adapter.ActivateTOTPForm",
}
MFA_RECOVERY_CODES_SHOW_ONCE = True
MFA_PASSKEY_LOGIN_ENABLED = True
MFA_TRUST_ENABLED = True
MFA_TRUST_COOKIE_AGE = dt.timedelta(days=30)
MFA_RECOVERY_CODE_COUNT = 10
MFA_TOTP_ISSUER = os.environ.get("DROPLINE_PROVIDER_NAME", "Dropline")
# Passkeys need HTTPS, except on localhost for the demo and development.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEMO or DEBUG
USERSESSIONS_TRACK_ACTIVITY = True
USERSESSIONS_ADAPTER = "dropline.identity.sessions.UserSessionsAdapter"
ACCOUNT_REAUTHENTICATION_REQUIRED = True
# Security alerts go through the notification outbox; allauth's own would duplicate them.
ACCOUNT_EMAIL_NOTIFICATIONS = False
HEADLESS_CLIENTS = ("app",)
HEADLESS_ONLY = False
HEADLESS_SERVE_SPECIFICATION = True
# allauth's reference page with the API's local Swagger UI, not its default from a CDN.
HEADLESS_SPECIFICATION_TEMPLATE_NAME = "api/allauth_reference.html"

# A session ends after 60 idle minutes (the cookie is renewed on every request)
# and, whatever the activity, 24 hours after sign-in (AbsoluteSessionLifetimeMiddleware).
# Django's database sessions, with a sign-in's new session written once
# (dropline/accounts/session_store.py).
SESSION_ENGINE = "dropline.accounts.session_store"
SESSION_COOKIE_AGE = 60 * 60
SESSION_SAVE_EVERY_REQUEST = True
DROPLINE_SESSION_ABSOLUTE_LIFETIME = dt.timedelta(hours=24)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish"))]
LOCALE_PATHS = [BASE_DIR / "dropline" / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

DROPLINE_CURRENCY = os.environ.get("DROPLINE_CURRENCY", "USD").upper()
DROPLINE_PROVIDER_NAME = os.environ.get("DROPLINE_PROVIDER_NAME", "Dropline")
# Days from the bill date to the due date.
DROPLINE_PAYMENT_TERMS_DAYS = env_int(
    "DROPLINE_PAYMENT_TERMS_DAYS", default=21, minimum=1, maximum=90
)
# Accounts per bill-run chunk (one worker task, one transaction) when a run starts.
DROPLINE_BILL_RUN_CHUNK_SIZE = env_int(
    "DROPLINE_BILL_RUN_CHUNK_SIZE", default=1000, minimum=1, maximum=100_000
)
# How customers reach the provider (dropline.core.support): each is optional and
# shown only when set.
DROPLINE_SUPPORT_PHONE = env_phone("DROPLINE_SUPPORT_PHONE")
DROPLINE_SUPPORT_HOURS = os.environ.get("DROPLINE_SUPPORT_HOURS", "").strip()
DROPLINE_SUPPORT_HOURS_ES = os.environ.get("DROPLINE_SUPPORT_HOURS_ES", "").strip()
DROPLINE_SUPPORT_ADDRESS = os.environ.get("DROPLINE_SUPPORT_ADDRESS", "").strip()
DROPLINE_HELP_URL = env_http_url("DROPLINE_HELP_URL")
# The provider's FCC Registration Number: the start of every broadband label's
# unique plan identifier.
DROPLINE_FCC_FRN = env_frn("DROPLINE_FCC_FRN", default="0000000000")
# When a customer's change takes effect: "now" (today) or "cycle_end" (the first day of
# the next bill cycle). Upgrades and add-ons added follow the first, downgrades and
# add-ons removed the second.
DROPLINE_UPGRADE_TIMING = env_choice("DROPLINE_UPGRADE_TIMING", ("now", "cycle_end"), "now")
DROPLINE_DOWNGRADE_TIMING = env_choice(
    "DROPLINE_DOWNGRADE_TIMING", ("now", "cycle_end"), "cycle_end"
)

# Payments (dropline.payments). The gateway: "simulator" (test cards, no money moves;
# the demo's) or "stripe" (STRIPE_SECRET_KEY, STRIPE_PUBLISHABLE_KEY and
# STRIPE_WEBHOOK_SECRET from the Stripe dashboard; STRIPE_API_BASE only for tests).
DROPLINE_PAYMENT_GATEWAY = env_choice(
    "DROPLINE_PAYMENT_GATEWAY", ("simulator", "stripe"), "simulator"
)
STRIPE_SECRET_KEY = os.environ.get("STRIPE_SECRET_KEY", "")
STRIPE_PUBLISHABLE_KEY = os.environ.get("STRIPE_PUBLISHABLE_KEY", "")
STRIPE_WEBHOOK_SECRET = os.environ.get("STRIPE_WEBHOOK_SECRET", "")
STRIPE_API_BASE = os.environ.get("STRIPE_API_BASE", "")
# How much more than the balance a customer may pay ahead, in cents (0: never more).
DROPLINE_PREPAYMENT_ALLOWANCE_CENTS = env_int(
    "DROPLINE_PREPAYMENT_ALLOWANCE_CENTS", default=0, maximum=10**8
)

# Autopay, payment extensions and dunning (dropline.payments.autopay, extensions,
# dunning). Days are calendar days unless they say business days (Monday to Friday).
# Enrolling or cancelling fewer business days than this before a due date takes effect
# from the next bill.
DROPLINE_AUTOPAY_CUTOFF_BUSINESS_DAYS = env_int(
    "DROPLINE_AUTOPAY_CUTOFF_BUSINESS_DAYS", default=3, maximum=30
)
# The notice "we'll charge $X on D" goes this many days before the due date.
DROPLINE_AUTOPAY_NOTICE_DAYS = env_int("DROPLINE_AUTOPAY_NOTICE_DAYS", default=3, maximum=30)
# A declined autopay charge is tried again this many days after the due date, then stops.
DROPLINE_AUTOPAY_RETRY_DAYS = [
    int(day) for day in env_list("DROPLINE_AUTOPAY_RETRY_DAYS", default=["1", "3", "5"])
]
# The monthly autopay-and-paperless discount on the bill (0 switches it off).
DROPLINE_AUTOPAY_DISCOUNT_CENTS = env_int(
    "DROPLINE_AUTOPAY_DISCOUNT_CENTS", default=500, maximum=10**6
)
# A payment extension: at most once in this many days, at most this many days late.
DROPLINE_EXTENSION_PERIOD_DAYS = env_int("DROPLINE_EXTENSION_PERIOD_DAYS", default=365)
DROPLINE_EXTENSION_MAX_DAYS = env_int("DROPLINE_EXTENSION_MAX_DAYS", default=14, maximum=90)
# Dunning: a reminder before the due date (accounts not on autopay), an overdue notice
# the day after, a late fee after the grace days, a warning, then suspension.
DROPLINE_REMINDER_DAYS_BEFORE = env_int("DROPLINE_REMINDER_DAYS_BEFORE", default=5, maximum=30)
DROPLINE_LATE_FEE_GRACE_DAYS = env_int("DROPLINE_LATE_FEE_GRACE_DAYS", default=10, maximum=90)
DROPLINE_LATE_FEE_CENTS = env_int("DROPLINE_LATE_FEE_CENTS", default=1000, maximum=10**6)
DROPLINE_SUSPENSION_WARNING_DAYS = env_int(
    "DROPLINE_SUSPENSION_WARNING_DAYS", default=23, maximum=365
)
DROPLINE_SUSPEND_AFTER_DAYS = env_int("DROPLINE_SUSPEND_AFTER_DAYS", default=30, maximum=365)

# Disputes (dropline.payments.disputes). Staff answer a dispute within
# DROPLINE_DISPUTE_SLA_DAYS (business days, Monday to Friday, unless
# DROPLINE_DISPUTE_SLA_BUSINESS_DAYS is off); a customer may dispute a line of a bill
# issued in the last DROPLINE_DISPUTE_WINDOW_DAYS. Attachments are kept under
# DROPLINE_UPLOAD_ROOT, outside the web root and never served by WhiteNoise.
DROPLINE_DISPUTE_SLA_DAYS = env_int("DROPLINE_DISPUTE_SLA_DAYS", default=10, minimum=1, maximum=90)
DROPLINE_DISPUTE_SLA_BUSINESS_DAYS = env_bool("DROPLINE_DISPUTE_SLA_BUSINESS_DAYS", default=True)
DROPLINE_DISPUTE_WINDOW_DAYS = env_int(
    "DROPLINE_DISPUTE_WINDOW_DAYS", default=365, minimum=1, maximum=3660
)
DROPLINE_UPLOAD_ROOT = os.environ.get("DROPLINE_UPLOAD_ROOT") or str(VAR_DIR / "uploads")
# The Stripe adapter (dropline.payments.gateways.stripe_gateway): seconds to wait for
# Stripe's answer before a charge counts as unknown (asked again later with its key).
STRIPE_TIMEOUT_SECONDS = env_int("STRIPE_TIMEOUT_SECONDS", default=20, minimum=1, maximum=120)
# Usage (dropline.usage). Raw accounting records are kept this many days (on PostgreSQL
# whole monthly partitions are dropped once every day in them is older), hourly roll-ups
# this many; daily and per-cycle totals are kept. The first cycle with extra data in
# DROPLINE_USAGE_COURTESY_MONTHS months is not charged (0: always charged).
DROPLINE_USAGE_RAW_RETENTION_DAYS = env_int(
    "DROPLINE_USAGE_RAW_RETENTION_DAYS", default=90, minimum=1, maximum=3660
)
DROPLINE_USAGE_HOURLY_RETENTION_DAYS = env_int(
    "DROPLINE_USAGE_HOURLY_RETENTION_DAYS", default=62, minimum=1, maximum=3660
)
DROPLINE_USAGE_COURTESY_MONTHS = env_int(
    "DROPLINE_USAGE_COURTESY_MONTHS", default=12, minimum=0, maximum=120
)

# Equipment (dropline.network). Device management: "simulator" (devices that behave like
# real ones: restarts take a minute, changes wait for an offline device; the demo's) or
# "genieacs" (a GenieACS server's NBI at GENIEACS_NBI_URL, with basic credentials when
# GENIEACS_USERNAME is set). A customer may restart a device DROPLINE_RESTARTS_PER_HOUR
# times an hour.
DROPLINE_DEVICE_MANAGER = env_choice(
    "DROPLINE_DEVICE_MANAGER", ("simulator", "genieacs"), "simulator"
)
GENIEACS_NBI_URL = env_http_url("GENIEACS_NBI_URL") or "http://127.0.0.1:7557"
GENIEACS_USERNAME = os.environ.get("GENIEACS_USERNAME", "")
GENIEACS_PASSWORD = os.environ.get("GENIEACS_PASSWORD", "")
GENIEACS_TIMEOUT_SECONDS = env_int("GENIEACS_TIMEOUT_SECONDS", default=10, minimum=1, maximum=120)
DROPLINE_RESTARTS_PER_HOUR = env_int("DROPLINE_RESTARTS_PER_HOUR", default=3, minimum=1, maximum=60)

# Technician visits: customers book open arrival windows up to DROPLINE_BOOKING_DAYS ahead,
# and reschedule or cancel up to DROPLINE_VISIT_CHANGE_CUTOFF_HOURS before the window starts.
# Reminders go the evening before at DROPLINE_VISIT_EVENING_REMINDER_HOUR and on the morning
# of the visit at DROPLINE_VISIT_MORNING_REMINDER_HOUR (the provider's time zone).
DROPLINE_BOOKING_DAYS = env_int("DROPLINE_BOOKING_DAYS", default=14, minimum=1, maximum=60)
DROPLINE_VISIT_CHANGE_CUTOFF_HOURS = env_int(
    "DROPLINE_VISIT_CHANGE_CUTOFF_HOURS", default=2, minimum=0, maximum=72
)
DROPLINE_VISIT_EVENING_REMINDER_HOUR = env_int(
    "DROPLINE_VISIT_EVENING_REMINDER_HOUR", default=18, minimum=12, maximum=22
)
DROPLINE_VISIT_MORNING_REMINDER_HOUR = env_int(
    "DROPLINE_VISIT_MORNING_REMINDER_HOUR", default=7, minimum=5, maximum=11
)

# Where customers reach the portal: links in email and SMS are built on it.
DROPLINE_PUBLIC_URL = os.environ.get("DROPLINE_PUBLIC_URL", "http://127.0.0.1:8000")

# SMS: "simulator" keeps messages in an inbox staff can read; "http" is a
# Twilio-style REST API.
SMS_GATEWAY = os.environ.get("SMS_GATEWAY", "simulator")
if SMS_GATEWAY not in {"simulator", "http"}:
    raise ConfigError(f"SMS_GATEWAY must be simulator or http, not {SMS_GATEWAY!r}")
SMS_HTTP_BASE_URL = os.environ.get("SMS_HTTP_BASE_URL", "")
SMS_HTTP_ACCOUNT_SID = os.environ.get("SMS_HTTP_ACCOUNT_SID", "")
SMS_HTTP_AUTH_TOKEN = os.environ.get("SMS_HTTP_AUTH_TOKEN", "")
SMS_FROM_NUMBER = os.environ.get("SMS_FROM_NUMBER", "")
if SMS_GATEWAY == "http" and not (SMS_HTTP_BASE_URL and SMS_HTTP_ACCOUNT_SID and SMS_FROM_NUMBER):
    raise ConfigError(
        "SMS_GATEWAY=http needs SMS_HTTP_BASE_URL, SMS_HTTP_ACCOUNT_SID, "
        "SMS_HTTP_AUTH_TOKEN and SMS_FROM_NUMBER"
    )

# Push notifications (web push, signed with VAPID). The key pair: the private key as PEM
# or the raw 32 bytes in base64url, and (optionally, checked) its public key. Unset, a
# key is made once in var/vapid_private_key.pem and kept; with more than one server,
# set the same key on each (``dropline pushkeys`` prints the one in use). The subject
# tells push services whom to contact: mailto: an address, by default DEFAULT_FROM_EMAIL's.
DROPLINE_VAPID_PRIVATE_KEY, DROPLINE_VAPID_PUBLIC_KEY = env_vapid_keys(
    "DROPLINE_VAPID_PRIVATE_KEY", "DROPLINE_VAPID_PUBLIC_KEY"
)
DROPLINE_VAPID_KEY_FILE = VAR_DIR / "vapid_private_key.pem"
# Browsers' push services, by host name (a subscription's endpoint must be on one of
# them, so the server never posts to an address a client chose); local addresses too
# (http://localhost, 127.0.0.1) in the demo and development.
DROPLINE_PUSH_SERVICES = env_list(
    "DROPLINE_PUSH_SERVICES",
    default=[
        "fcm.googleapis.com",
        "android.googleapis.com",
        "updates.push.services.mozilla.com",
        "push.apple.com",
        "notify.windows.com",
    ],
)
DROPLINE_PUSH_ALLOW_LOCAL = env_bool("DROPLINE_PUSH_ALLOW_LOCAL", default=DEMO or DEBUG)

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "dropline" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage",
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# Email
_email = email_from_url(os.environ.get("EMAIL_URL") or "console://")
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
for _key, _value in _email.items():
    globals()[_key] = _value
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Dropline <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
DROPLINE_VAPID_SUBJECT = env_vapid_subject("DROPLINE_VAPID_SUBJECT", from_email=DEFAULT_FROM_EMAIL)

# Celery: with no broker, tasks run in the calling process.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND", REDIS_URL or None)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE = {
    "deliver-due-notifications": {"task": "notifications.deliver_due", "schedule": 60.0},
    "clear-ended-sessions": {"task": "accounts.clear_ended_sessions", "schedule": 3600.0},
    "purge-expired-cache": {"task": "core.purge_expired_cache", "schedule": 3600.0},
    # Due prices and today's bill run, early each morning in the provider's time zone.
    "run-due-jobs": {"task": "billing.run_due_jobs", "schedule": crontab(hour=1, minute=0)},
    # Plan and add-on changes whose day came: completed, and the customers told.
    "complete-due-orders": {
        "task": "orders.complete_due_orders",
        "schedule": crontab(hour=1, minute=30),
    },
    # Payments: scheduled payments whose day came and expiry warnings each morning;
    # payments whose gateway answer never came, and the simulator's late outcomes,
    # every minute.
    "send-due-scheduled-payments": {
        "task": "payments.send_due_scheduled",
        "schedule": crontab(hour=2, minute=0),
    },
    "warn-expiring-cards": {
        "task": "payments.warn_expiring",
        "schedule": crontab(hour=9, minute=0),
    },
    "resolve-unknown-payments": {"task": "payments.resolve_unknown", "schedule": 60.0},
    "release-simulator-events": {"task": "payments.release_simulator_events", "schedule": 60.0},
    # Autopay (notices, then the bills due today and the retries), then dunning, after
    # the bill run and the scheduled payments.
    "run-autopay": {"task": "payments.run_autopay", "schedule": crontab(hour=2, minute=30)},
    "run-dunning": {"task": "payments.run_dunning", "schedule": crontab(hour=3, minute=0)},
    # Usage alerts a lost check never sent: services at 75%, 90% or 100% with no alert of
    # that level yet.
    "sweep-usage-alerts": {"task": "usage.sweep_alerts", "schedule": 600.0},
    # Technician visits: the next days' arrival windows opened from the capacity templates
    # each night; reminders (the evening before, the morning of) every five minutes.
    "open-visit-windows": {"task": "field.open_windows", "schedule": crontab(hour=0, minute=15)},
    "send-visit-reminders": {"task": "field.send_due_reminders", "schedule": 300.0},
}
CELERY_TIMEZONE = TIME_ZONE

# Security headers; HTTPS settings apply outside the demo and development.
HTTPS = env_bool("DROPLINE_HTTPS", default=not (DEMO or DEBUG))
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_COOKIE_HTTPONLY = True
if HTTPS:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=False)
    if not SECURE_HSTS_PRELOAD:
        # Preloading is the operator's decision for their domain (it is slow to
        # undo), so not asking for it is not a deploy-check warning here.
        SILENCED_SYSTEM_CHECKS = ["security.W021"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    if BEHIND_PROXY:
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Operations (docs/OPERATIONS.md, "Metrics" and "Logs"). /metrics answers a request
# with "Authorization: Bearer <DROPLINE_METRICS_TOKEN>", or without a token set only
# one from this machine. Log lines are text for a person or one JSON object each.
DROPLINE_METRICS_TOKEN = os.environ.get("DROPLINE_METRICS_TOKEN", "").strip()
if DROPLINE_METRICS_TOKEN and len(DROPLINE_METRICS_TOKEN) < 32:
    raise ConfigError(
        "DROPLINE_METRICS_TOKEN must be at least 32 characters (openssl rand -hex 32)"
    )
DROPLINE_LOG_FORMAT = env_choice("DROPLINE_LOG_FORMAT", ("text", "json"), "text")
# Keep the load balancer's X-Request-ID (when well-formed) rather than making one.
DROPLINE_TRUST_REQUEST_ID = env_bool(
    "DROPLINE_TRUST_REQUEST_ID", default=env_bool("BEHIND_PROXY", default=False)
)

# With JSON chosen, Celery workers keep these handlers rather than installing their own.
CELERY_WORKER_HIJACK_ROOT_LOGGER = DROPLINE_LOG_FORMAT != "json"
LOGGING = logging_config(log_format=DROPLINE_LOG_FORMAT, level=os.environ.get("LOG_LEVEL", "INFO"))
