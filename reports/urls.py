"""URLs of the reports app (included at the site root by advocacy_portal.urls)."""

from django.urls import path  # noqa: F401

app_name = "reports"
urlpatterns: list = []
