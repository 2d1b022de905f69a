"""Celery tasks of the usage domain: thin wrappers around its writes."""

from __future__ import annotations
