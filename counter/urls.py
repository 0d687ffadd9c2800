from django.urls import path

from counter import audit_log, views

app_name = "counter"
urlpatterns = [
    path("", views.home, name="home"),
    path("visits/new/", views.visit_start, name="visit_new"),
    path("households/<int:household_id>/visit/", views.visit_start, name="visit_start"),
    path("visits/<str:number>/", views.visit_detail, name="visit"),
    path("visits/<str:number>/people/", views.person_add, name="person_add"),
    path("visits/<str:number>/people/<slug:key>/", views.person_update, name="person_update"),
    path("visits/<str:number>/answer/", views.answer, name="answer"),
    path("visits/<str:number>/address/", views.address, name="address"),
    path("visits/<str:number>/packet.pdf", views.packet, name="packet"),
    path("visits/<str:number>/accept/", views.accept, name="accept"),
    path("audit/", audit_log.audit_log, name="audit_log"),
    path("audit.csv", audit_log.audit_log_csv, name="audit_log_csv"),
]
