"""URLs of the learning app: the learner pages under /learn/ and the public certificate check."""

from django.urls import path

from learning import views

app_name = "learning"
urlpatterns = [
    path("learn/", views.module_list, name="module_list"),
    path("learn/certificates/<uuid:public_id>/certificate.pdf", views.certificate_download, name="certificate_pdf"),
    path(
        "learn/certificates/<uuid:public_id>/visibility/",
        views.certificate_visibility,
        name="certificate_visibility",
    ),
    path("learn/attempts/<int:pk>/", views.attempt_detail, name="attempt_detail"),
    path("learn/<slug:slug>/", views.module_detail, name="module_detail"),
    path("learn/<slug:slug>/lessons/<int:position>/", views.lesson_detail, name="lesson_detail"),
    path("learn/<slug:slug>/quiz/", views.quiz, name="quiz"),
    # /verify/<uuid>/ itself is the clinician's public verification page (clinicians app).
    path("verify/certificate/<uuid:public_id>/", views.certificate_verify, name="certificate_verify"),
]
