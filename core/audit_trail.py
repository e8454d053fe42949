"""Registers the models named in settings.AUDIT_TRAIL_MODELS with django-auditlog.

Each is tracked on its own columns only (plus the many-to-many fields named): left to itself, auditlog
also reads reverse relations when an object is created or deleted, which writes managers' reprs into
the diff and, for a reverse one-to-one such as `clinician.score`, caches "no score" on the instance
that was just saved.
"""

from auditlog.registry import auditlog
from django.apps import apps
from django.conf import settings


def audit_trail_register() -> None:
    for label, options in settings.AUDIT_TRAIL_MODELS.items():
        model = apps.get_model(label)
        excluded = set(options.get("exclude_fields", ()))
        included = options.get("include_fields") or [
            field.name for field in model._meta.concrete_fields if field.name not in excluded
        ]
        auditlog.register(
            model,
            include_fields=list(included),
            exclude_fields=sorted(excluded),
            m2m_fields=set(options.get("m2m_fields", ())),
        )
