"""URLs of the incentives app (included at the site root by advocacy_portal.urls)."""

from django.urls import path

from incentives import views

app_name = "incentives"
urlpatterns = [
    path("points/", views.statement, name="statement"),
    path("leaderboard/", views.leaderboard, name="leaderboard"),
    path("rewards/", views.reward_list, name="reward_list"),
    path("rewards/<int:pk>/redeem/", views.reward_redeem, name="reward_redeem"),
    path("rewards/<int:pk>/image/", views.reward_image, name="reward_image"),
]
