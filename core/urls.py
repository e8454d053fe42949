"""URLs of the core app (included at the site root by advocacy_portal.urls)."""

from django.urls import path

from core import views

app_name = "core"
urlpatterns = [
    path("notifications/", views.notification_list, name="notification_list"),
    path("notifications/read/", views.notification_mark_all_read, name="notification_mark_all_read"),
    path("notifications/settings/", views.notification_settings, name="notification_settings"),
]
