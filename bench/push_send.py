"""How long one push notification to one device takes, against the bare HTTP POST.

    .venv/bin/python -m bench.push_send

Timed: ``WebPushService.send`` (what ``push_sending`` calls once per device): the VAPID
signature (ES256), the payload encrypted to the browser's keys (``aes128gcm``: an
ephemeral key, ECDH, HKDF, AES-GCM) and the POST, to the local push service of the tests
(``tests/support/push_service.py``), which checks the signature and decrypts each
message as a browser's push service and browser would.

The **floor**, in the same run to the same server: the same POST of a body signed and
encrypted once beforehand, through a plain ``requests.post``; the server still checks
and decrypts it. The ratio says what signing and encrypting each message costs on top.
No database is used.
"""

from __future__ import annotations

import argparse
import os
import time


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--sends", type=int, default=300, help="messages per measurement")
    return parser.parse_args(argv)


PAYLOAD = (
    b'{"title": "Your bill is ready", "body": "Your bill for November is $54.20, '
    b'due Dec. 3.", "url": "/billing/invoices/DL-2025-000123/", "tag": "invoice:123"}'
)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dropline.settings")
    os.environ.setdefault("DROPLINE_DEMO", "1")
    import django
    import requests
    from django.conf import settings

    django.setup()
    from dropline.notifications.channels.push import PushTarget, WebPushService, origin
    from dropline.notifications.channels.vapid import application_server_key, vapid_key
    from tests.support.push_service import new_vapid_key, running_push_service

    settings.DROPLINE_VAPID_PRIVATE_KEY = new_vapid_key()
    with running_push_service() as stub:
        browser = stub.subscribe(application_server_key())
        target = PushTarget(browser["endpoint"], browser["keys"]["p256dh"], browser["keys"]["auth"])
        service = WebPushService(key=vapid_key(), subject="mailto:ops@example.net")
        service.send(target=target, payload=PAYLOAD, ttl=60, urgency="normal", topic="warm")

        start = time.perf_counter()
        for _ in range(args.sends):
            service.send(target=target, payload=PAYLOAD, ttl=60, urgency="normal", topic="t")
        product = time.perf_counter() - start

        from py_vapid import Vapid
        from pywebpush import WebPusher

        headers = Vapid(vapid_key().private_key).sign(
            {"sub": "mailto:ops@example.net", "aud": origin(target.endpoint)}
        )
        body = WebPusher(browser).encode(PAYLOAD)["body"]
        headers.update({"TTL": "60", "Content-Encoding": "aes128gcm", "Topic": "t"})
        with requests.Session() as session:
            start = time.perf_counter()
            for _ in range(args.sends):
                answer = session.post(target.endpoint, data=body, headers=headers, timeout=10)
                assert answer.status_code == 201, answer.text
            bare = time.perf_counter() - start
        assert len(stub.received) == 2 * args.sends + 1, stub.refusals[:3]

    print(f"{args.sends} sends to one device, each checked and decrypted by the push service")
    print(f"  WebPushService.send:          {product / args.sends * 1000:6.2f} ms a message")
    print(f"  floor (pre-built POST):       {bare / args.sends * 1000:6.2f} ms a message")
    print(f"  ratio: {product / bare:.1f}x the floor")


if __name__ == "__main__":
    main()
