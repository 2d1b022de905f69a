"""SMS gateways: a simulator that keeps an inbox staff can read, and a Twilio-style HTTP API.

Selected by ``SMS_GATEWAY`` ("simulator" or "http"). Errors say whether a retry
can help: ``TemporarySmsError`` (timeouts, 5xx, 429) or ``PermanentSmsError``
(an invalid or unreachable number).
"""

from __future__ import annotations

import base64
import json
import urllib.error
import urllib.parse
import urllib.request
import uuid
from typing import Protocol

from django.conf import settings

from dropline.core import clock
from dropline.notifications.channels.segments import count_segments
from dropline.notifications.models import SimulatedSms


class SmsError(Exception):
    pass


class TemporarySmsError(SmsError):
    """Worth retrying later."""


class PermanentSmsError(SmsError):
    """The number cannot receive messages; retrying will not help."""


class SmsGateway(Protocol):
    def send(self, *, to: str, body: str, idempotency_key: str) -> str:
        """Send ``body`` to the E.164 number ``to``; return the provider's reference."""
        ...


class SimulatorGateway:
    """Behaves like a provider: numbers in the 555-01xx fiction range that end in 99 are
    unreachable, ones ending in 98 time out; everything else lands in the inbox."""

    def send(self, *, to: str, body: str, idempotency_key: str) -> str:
        if to.endswith("99"):
            raise PermanentSmsError("number is not a mobile line")
        if to.endswith("98"):
            raise TemporarySmsError("provider timed out")
        reference = f"SIM{uuid.uuid5(uuid.NAMESPACE_URL, idempotency_key).hex[:24]}"
        count = count_segments(body)
        SimulatedSms.objects.get_or_create(
            reference=reference,
            defaults={
                "to": to,
                "body": body,
                "segments": count.segments,
                "encoding": count.encoding,
                "sent_at": clock.now(),
            },
        )
        return reference


class HttpGateway:
    """A Twilio-style REST API: POST form data to ``{base}/Accounts/{sid}/Messages.json``."""

    def __init__(self, *, base_url: str, account_sid: str, auth_token: str, sender: str) -> None:
        self.base_url = base_url.rstrip("/")
        self.account_sid = account_sid
        self.auth_token = auth_token
        self.sender = sender

    def send(self, *, to: str, body: str, idempotency_key: str) -> str:
        url = f"{self.base_url}/Accounts/{urllib.parse.quote(self.account_sid)}/Messages.json"
        data = urllib.parse.urlencode({"To": to, "From": self.sender, "Body": body}).encode()
        credentials = base64.b64encode(f"{self.account_sid}:{self.auth_token}".encode()).decode()
        request = urllib.request.Request(  # noqa: S310 - the URL is the operator's setting
            url,
            data=data,
            method="POST",
            headers={
                "Authorization": f"Basic {credentials}",
                "Content-Type": "application/x-www-form-urlencoded",
                "Idempotency-Key": idempotency_key,
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
                payload = json.loads(response.read() or b"{}")
            if not isinstance(payload, dict):
                raise ValueError("not a JSON object")
        except urllib.error.HTTPError as exc:
            detail = exc.read()[:200].decode(errors="replace")
            if exc.code == 429 or exc.code >= 500:
                raise TemporarySmsError(f"provider answered {exc.code}") from None
            raise PermanentSmsError(
                f"provider refused the message ({exc.code}): {detail}"
            ) from None
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise TemporarySmsError(f"provider unreachable: {type(exc).__name__}") from None
        except ValueError:
            raise TemporarySmsError("provider answered with something that is not JSON") from None
        reference = str(payload.get("sid", ""))
        if not reference:
            raise TemporarySmsError("provider answered without a message reference")
        return reference


def gateway() -> SmsGateway:
    if settings.SMS_GATEWAY == "http":
        return HttpGateway(
            base_url=settings.SMS_HTTP_BASE_URL,
            account_sid=settings.SMS_HTTP_ACCOUNT_SID,
            auth_token=settings.SMS_HTTP_AUTH_TOKEN,
            sender=settings.SMS_FROM_NUMBER,
        )
    return SimulatorGateway()
