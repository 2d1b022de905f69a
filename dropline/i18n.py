"""Compile the .po catalogues to .mo with polib: no GNU gettext and no settings needed.

``python -m dropline.i18n`` runs at install time (see the Makefile).
"""

from __future__ import annotations

import sys
from pathlib import Path

import polib

LOCALE_DIR = Path(__file__).resolve().parent / "locale"


def compile_catalogues(locale_dir: Path = LOCALE_DIR) -> int:
    """Compile every catalogue whose .mo is missing or older than its .po."""
    compiled = 0
    for po_path in sorted(locale_dir.glob("*/LC_MESSAGES/*.po")):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
        compiled += 1
    return compiled


def main() -> None:
    count = compile_catalogues()
    sys.stdout.write(f"translations: {count} catalogue(s) compiled\n")


if __name__ == "__main__":
    main()
