"""Advocacy reports: requested by staff, built by Celery workers, downloaded through the portal."""
