"""The ``dropline`` command: Django's manage.py for this project."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dropline.settings")
    from dropline.config import ConfigError

    try:
        from django.core.management import execute_from_command_line

        args = list(sys.argv[1:] if argv is None else argv)
        # ``help`` is Django's own command; ``dropline help import-articles`` is the help
        # centre's (``help-center``).
        if args[:2] == ["help", "import-articles"]:
            args[0] = "help-center"
        execute_from_command_line(["dropline", *args])
    except ConfigError as exc:
        sys.stderr.write(f"dropline: configuration error: {exc}\n")
        raise SystemExit(2) from None


if __name__ == "__main__":
    main()
