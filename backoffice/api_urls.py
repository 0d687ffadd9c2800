"""The core systems' API (token per system); every route is in backoffice/openapi.json."""

from django.urls import path

from backoffice import api

app_name = "api"
urlpatterns = [
    path("openapi.json", api.openapi, name="openapi"),
    path("v1/tasks", api.task_list, name="tasks"),
    path("v1/tasks/<int:pk>", api.task_get, name="task"),
    path("v1/tasks/<int:pk>/processed", api.task_processed, name="task_processed"),
]
