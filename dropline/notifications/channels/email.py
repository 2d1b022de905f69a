"""Email through Django's backends (SMTP from EMAIL_URL), plain text and HTML."""

from __future__ import annotations

import smtplib
from collections.abc import Sequence
from email.mime.text import MIMEText

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection


def _text_part(attachment: dict[str, str]) -> MIMEText:
    """A text attachment with its content type's parameters kept (``method=REQUEST``)."""
    kind, *params = (p.strip() for p in attachment["content_type"].split(";"))
    subtype = kind.split("/", 1)[1] if "/" in kind else "plain"
    part = MIMEText(attachment["content"], subtype, "utf-8")
    for param in params:
        name, _, value = param.partition("=")
        part.set_param(name.strip(), value.strip().strip('"'))
    part.add_header("Content-Disposition", "attachment", filename=attachment["filename"])
    return part


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
    attachments: Sequence[dict[str, str]] = (),
) -> str:
    """Send one message; the Message-ID is stable so a retry is recognizable as the same mail.
    Each attachment is ``{"filename", "content_type", "content"}`` with text content (a
    calendar invitation: ``text/calendar; method=REQUEST``)."""
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
    for attachment in attachments:
        email.attach(_text_part(attachment))
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
