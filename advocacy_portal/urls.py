"""Root URLs: every app's URLs are included here at the site root."""

from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from advocacy_portal import views
from api.api import api
from campaigns import views as campaign_views

admin.site.site_header = "Advocacy Portal administration"
admin.site.site_title = "Advocacy Portal admin"
admin.site.index_title = "Association administration"
# One login for everyone (allauth docs, "Admin"): /admin/login/ sends visitors to the portal login with
# `next`, so its rate limits, two-factor step and re-authentication apply to admin too. Django's own
# admin login form never checks a password.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("my-data/", views.my_data, name="my_data"),
    path("my-data/download/", views.my_data_download, name="my_data_download"),
    path("my-data/delete/", views.account_delete_view, name="account_delete"),
    path("healthz", views.healthz, name="healthz"),
    path("metrics", views.metrics, name="metrics"),
    # Short links shared by clinicians (campaigns.TrackedLink): outside the campaigns namespace so
    # the address stays short.
    path("l/<str:code>", campaign_views.short_link, name="short_link"),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("", include("core.urls")),
    path("", include("clinicians.urls")),
    path("", include("campaigns.urls")),
    path("", include("learning.urls")),
    path("", include("incentives.urls")),
    path("reports/", include("reports.urls")),
    path("", include("api.urls")),
    # The REST API: schema at /api/v1/openapi.json, Swagger UI (django-ninja's bundled assets) at /api/v1/docs.
    path("api/v1/", api.urls),
]

# Under /api/ these answer in the API's JSON error shape; elsewhere they are Django's pages.
handler400 = "api.views.bad_request"
handler404 = "api.views.page_not_found"
