"""Dropline: customer self-service portal and subscriber billing back-office."""

from dropline.celery import app as celery_app

__all__ = ["celery_app"]
