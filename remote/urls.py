from django.urls import path

from remote import views

app_name = "remote"
urlpatterns = [
    path("visits/<slug:number>/", views.visit_panel, name="visit_panel"),
    path("visits/<slug:number>/request/", views.request_consultation, name="request"),
    path("lobby/", views.lobby, name="lobby"),
    path("waiting/", views.waiting, name="waiting"),
    path("<int:pk>/admit/", views.admit, name="admit"),
    path("<int:pk>/decline/", views.decline, name="decline"),
    path("<int:pk>/", views.room, name="room"),
    path("<int:pk>/live/", views.live, name="live"),
    path("<int:pk>/answer/", views.answer, name="answer"),
    path("<int:pk>/answer/withdraw/", views.answer_withdraw, name="answer_withdraw"),
    path("<int:pk>/end/", views.end, name="end"),
]
