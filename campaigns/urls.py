"""URLs of the campaigns app (included at the site root by advocacy_portal.urls)."""

from django.urls import path

from campaigns import views

app_name = "campaigns"
urlpatterns = [
    path("activities/", views.activity_list, name="activity_list"),
    path("activities/new/", views.activity_create, name="activity_create"),
    path("activities/new/check/", views.activity_excerpt_check, name="activity_excerpt_check"),
    path("activities/import/", views.activity_import, name="activity_import"),
    path("activities/import/template.csv", views.activity_import_template, name="activity_import_template"),
    path("activities/<int:pk>/", views.activity_detail, name="activity_detail"),
    path("activities/<int:pk>/edit/", views.activity_edit, name="activity_edit"),
    path("activities/<int:pk>/withdraw/", views.activity_withdraw, name="activity_withdraw"),
    path("share/mastodon/", views.share_mastodon_instance, name="share_mastodon_instance"),
    path("campaigns/", views.campaign_list, name="campaign_list"),
    path("campaigns/<slug:slug>/", views.campaign_detail, name="campaign_detail"),
    path("campaigns/<slug:slug>/join/", views.campaign_join, name="campaign_join"),
    path("campaigns/<slug:slug>/leave/", views.campaign_leave, name="campaign_leave"),
    path("campaigns/<slug:slug>/toolkit/<int:pk>/image/", views.toolkit_image, name="toolkit_image"),
]
