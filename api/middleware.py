"""Attribute every API request made with a token: one structured log line with token, user and status."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from api.services import token_use_log


class ApiTokenLogMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        token = getattr(request, "api_token", None)
        if token is not None:
            token_use_log(token=token, method=request.method, path=request.path, status=response.status_code)
        return response
