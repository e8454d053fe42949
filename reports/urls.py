"""URLs of the reports app (included at the site root by advocacy_portal.urls)."""

from django.urls import path

from reports import views

app_name = "reports"
urlpatterns = [
    path("", views.report_list, name="report_list"),
    path("request/", views.report_create, name="report_create"),
    path("<int:report_id>/progress/", views.report_progress, name="report_progress"),
    path("<int:report_id>/download/", views.report_download, name="report_download"),
    path("<int:report_id>/retry/", views.report_retry, name="report_retry"),
]
