from django.urls import path

from printing import designer, views

app_name = "printing"
urlpatterns = [
    path("sign/<str:token>/", views.sign, name="sign"),
    path(
        "visits/<slug:number>/packets/<int:version>.pdf",
        views.packet_version,
        name="packet_version",
    ),
    path("visits/<slug:number>/signature/clear/", views.signature_clear, name="signature_clear"),
    path("designer/", designer.upload, name="designer"),
    path("designer/<slug:form_id>/", designer.edit, name="designer_edit"),
    path("designer/<slug:form_id>/page.png", designer.page_png, name="designer_page"),
    path("designer/<slug:form_id>/preview.png", designer.preview, name="designer_preview"),
    path("designer/<slug:form_id>/save/", designer.save, name="designer_save"),
]
