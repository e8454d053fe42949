"""URLs of the api app's pages (the API itself, /api/v1/, is mounted by advocacy_portal.urls)."""

from django.urls import path

from api import views

app_name = "api_pages"
urlpatterns = [
    path("profile/tokens/", views.token_list, name="token_list"),
    path("profile/tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("sw.js", views.service_worker, name="service_worker"),
    path("offline/", views.offline, name="offline"),
    path("log-anywhere/", views.log_anywhere, name="log_anywhere"),
]
