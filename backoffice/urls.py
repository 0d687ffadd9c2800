from django.urls import path

from backoffice import views

app_name = "backoffice"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("live/", views.queue_live, name="queue_live"),
    path("export.csv", views.export_csv, name="export"),
    path("chime.wav", views.chime, name="chime"),
    path("tasks/<int:pk>/", views.task_detail, name="task"),
    path("tasks/<int:pk>/transition/", views.task_transition, name="transition"),
    path("calls/<int:pk>/take/", views.call_take, name="call_take"),
    path("handoffs/<int:pk>/retry/", views.handoff_retry, name="handoff_retry"),
    path("visits/<slug:number>/board/", views.visit_board, name="board"),
    path("visits/<slug:number>/call/", views.visit_call, name="call"),
]
