"""Celery tasks of the learning app (queue "default")."""

from celery import shared_task

from learning import services


@shared_task(queue="default", time_limit=120, soft_time_limit=100)
def flag_modules_due_review() -> int:
    """Daily (beat): tell owners about modules past their review date (once per review period)."""
    return len(services.modules_review_flag())
