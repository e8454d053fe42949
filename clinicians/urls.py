"""URLs of the clinicians app (included at the site root by advocacy_portal.urls)."""

from django.urls import path

from clinicians import views

app_name = "clinicians"
urlpatterns = [
    path("profile/", views.profile_edit, name="profile_edit"),
    path("profile/social/", views.social_account_list, name="social_account_list"),
    path("profile/social/<int:pk>/check/", views.social_account_proof_check, name="social_account_proof_check"),
    path("profile/social/<int:pk>/delete/", views.social_account_delete, name="social_account_delete"),
    path("credentials/", views.credential_list, name="credential_list"),
    path("credentials/new/", views.credential_create, name="credential_create"),
    path("credentials/<int:pk>/", views.credential_detail, name="credential_detail"),
    path("credentials/<int:pk>/evidence/", views.credential_evidence, name="credential_evidence"),
    path("verify/<uuid:public_id>/", views.public_verification, name="public_verification"),
]
