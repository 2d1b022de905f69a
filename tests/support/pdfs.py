"""A PDF's text as a reader would copy it, with ``pdftotext`` (poppler-utils)."""

from __future__ import annotations

import shutil
import subprocess

import pytest


def pdf_text(data: bytes) -> str:
    """The text of the PDF ``data``, laid out as on the page."""
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext (poppler-utils) is needed to read the PDFs")
    result = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    )
    return result.stdout.decode()
