"""URLs of the core app (included at the site root by advocacy_portal.urls)."""

from django.urls import path  # noqa: F401

app_name = "core"
urlpatterns: list = []
