from django.urls import path

from catalog import views

app_name = "catalog"
urlpatterns = [
    path("", views.pack_detail, name="index"),
    path("events/<slug:event_id>/", views.event_detail, name="event"),
    path("procedures/<slug:procedure_id>/", views.procedure_detail, name="procedure"),
    path("try/", views.navigator_try, name="try"),
]
