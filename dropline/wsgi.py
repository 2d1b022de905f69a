"""WSGI entry point for gunicorn or any other WSGI server."""

from __future__ import annotations

import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dropline.settings")

from dropline.config import ConfigError

try:
    from django.core.wsgi import get_wsgi_application

    application = get_wsgi_application()
except ConfigError as exc:
    sys.stderr.write(f"dropline: configuration error: {exc}\n")
    raise SystemExit(2) from None
