"""The API's one error shape: `{"errors": {"field": ["message", ...]}, "detail": "..."}`.

Field-keyed messages come from the same forms and services as the pages; `__all__` holds messages
about the request as a whole. The privacy guard's stop (422) adds `privacy` with its hits.
"""

from django.core.exceptions import ValidationError
from django.forms import Form
from ninja import Schema

NON_FIELD = "__all__"


class ErrorOut(Schema):
    errors: dict[str, list[str]] = {}
    detail: str


class PrivacyHitOut(Schema):
    kind: str
    label: str = ""
    start: int
    end: int
    text: str = ""


class PrivacyOut(Schema):
    hits: list[PrivacyHitOut]
    kinds: list[str]
    fingerprint: str


class PrivacyErrorOut(ErrorOut):
    privacy: PrivacyOut


class ApiError(Exception):
    """An error answer: status, detail and optional field messages."""

    def __init__(self, status: int, detail: str, errors: dict[str, list[str]] | None = None, headers=None):
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.errors = errors or {}
        self.headers = headers or {}


def form_errors(form: Form) -> dict[str, list[str]]:
    return {field: [str(message) for message in messages] for field, messages in form.errors.items()}


def validation_errors(error: ValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return {field: [str(m) for m in ValidationError(items).messages] for field, items in error.error_dict.items()}
    return {NON_FIELD: list(error.messages)}


def invalid(errors: dict[str, list[str]]) -> ApiError:
    first = next((messages[0] for messages in errors.values() if messages), "The request is not valid.")
    return ApiError(400, first, errors)
