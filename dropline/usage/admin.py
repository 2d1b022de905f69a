"""Read-only registrations in the Django admin; staff work in the back-office."""

from __future__ import annotations
