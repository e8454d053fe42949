"""One id per request, on every log line it causes and in every task it enqueues.

RequestIdMiddleware takes the id nginx assigned (`X-Request-ID`, trusted only with TRUSTED_PROXY on)
or makes one, answers it in `X-Request-ID` and keeps it in a context variable for the request.
RequestIdLogFilter writes it into every log record (`request_id`, in the JSON logs too). A task
published while it is set carries it in the message headers (the outbox stores it with the row, so
the relay publishes it too); the worker restores it around the task, so the task's log lines carry
the id of the request that caused them.
"""

import contextvars
import logging
import re
import uuid
from collections.abc import Callable

from celery.signals import before_task_publish, task_postrun, task_prerun
from django.conf import settings
from django.core.signals import request_started
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse

HEADER = "X-Request-ID"
_VALID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")


def current_request_id() -> str:
    return _request_id.get()


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        offered = request.headers.get(HEADER, "") if settings.TRUSTED_PROXY else ""
        request_id = offered if _VALID.match(offered) else uuid.uuid4().hex
        # Not reset on the way out: Django logs a 4xx/5xx ("Not Found: ...") after the middleware
        # returned, and that line belongs to this request too. request_started clears it.
        _request_id.set(request_id)
        response = self.get_response(request)
        response[HEADER] = request_id
        return response


@receiver(request_started, dispatch_uid="core.request_id.clear")
def _request_id_clear(**kwargs) -> None:
    _request_id.set("")


class RequestIdLogFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = _request_id.get() or "-"
        return True


@before_task_publish.connect(dispatch_uid="core.request_id.publish")
def _request_id_publish(headers: dict | None = None, **kwargs) -> None:
    if headers is not None and (request_id := _request_id.get()):
        headers.setdefault("request_id", request_id)


_task_tokens: dict[str, contextvars.Token] = {}


@task_prerun.connect(dispatch_uid="core.request_id.prerun")
def _request_id_restore(task_id: str = "", task=None, **kwargs) -> None:
    request = getattr(task, "request", None)
    request_id = getattr(request, "request_id", None) or ((getattr(request, "headers", None) or {}).get("request_id"))
    if request_id:
        _task_tokens[task_id] = _request_id.set(str(request_id))


@task_postrun.connect(dispatch_uid="core.request_id.postrun")
def _request_id_forget(task_id: str = "", **kwargs) -> None:
    if (token := _task_tokens.pop(task_id, None)) is not None:
        _request_id.reset(token)
