"""The ``dropline`` command: Django's manage.py for this project."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dropline.settings")
    from dropline.config import ConfigError

    try:
        from django.core.management import execute_from_command_line

        execute_from_command_line(["dropline", *(sys.argv[1:] if argv is None else argv)])
    except ConfigError as exc:
        sys.stderr.write(f"dropline: configuration error: {exc}\n")
        raise SystemExit(2) from None


if __name__ == "__main__":
    main()
