"""Advocacy Portal: Django project package (settings, URLs, Celery app, composed views)."""

from .celery import app as celery_app

__all__ = ("celery_app",)
