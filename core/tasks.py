"""Core tasks: the worker heartbeat that /healthz reports."""

from celery import shared_task

from core.services import heartbeat_record


@shared_task(queue="default", time_limit=30, soft_time_limit=20)
def heartbeat(name: str = "worker") -> None:
    heartbeat_record(name=name)
