from django.urls import path

from training import views

app_name = "training"
urlpatterns = [
    path("", views.home, name="home"),
    path("assignments/<int:pk>/start/", views.start, name="start"),
    path("stop/", views.stop, name="stop"),
    path("card/", views.card, name="card"),
    path("assign/", views.assign, name="assign"),
    path("results/", views.results, name="results"),
    path("results/<int:user_id>/", views.trainee_results, name="trainee_results"),
    path("attempts/<int:pk>/", views.attempt_detail, name="attempt"),
]
