"""Email through Django's backends (SMTP from EMAIL_URL), plain text and HTML."""

from __future__ import annotations

import smtplib

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection


class EmailDeliveryError(Exception):
    """The mail server could not take the message now; worth retrying."""


class PermanentEmailError(EmailDeliveryError):
    """The server refused the recipient for good (a 5xx answer)."""


def send_email(
    *,
    to: str,
    subject: str,
    body_text: str,
    body_html: str,
    message_id: str,
    unsubscribe_url: str | None,
) -> str:
    """Send one message; the Message-ID is stable so a retry is recognizable as the same mail."""
    headers = {"Message-ID": message_id}
    if unsubscribe_url:
        # RFC 8058 one-click unsubscribe: mail clients POST to the URL.
        headers["List-Unsubscribe"] = f"<{unsubscribe_url}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    email = EmailMultiAlternatives(
        subject=subject,
        body=body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        headers=headers,
        connection=get_connection(fail_silently=False),
    )
    if body_html:
        email.attach_alternative(body_html, "text/html")
    try:
        email.send()
    except smtplib.SMTPRecipientsRefused as exc:
        codes = [code for code, _ in exc.recipients.values()]
        if codes and all(code >= 500 for code in codes):
            raise PermanentEmailError(f"recipient refused ({codes[0]})") from exc
        raise EmailDeliveryError(f"recipient deferred ({codes[0] if codes else '?'})") from exc
    except Exception as exc:  # smtplib and socket errors alike: the server did not take it
        raise EmailDeliveryError(f"{type(exc).__name__}: {str(exc)[:200]}") from exc
    return message_id
