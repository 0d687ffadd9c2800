from django.urls import path

from counter import audit_log, card_views, designer, postal, tablet, variants, views

app_name = "counter"
urlpatterns = [
    path("", views.home, name="home"),
    path("visits/new/", views.visit_start, name="visit_new"),
    path("card/", card_views.card_home, name="card_home"),
    path("variants/", variants.picker, name="variants"),
    path("households/<int:household_id>/visit/", views.visit_start, name="visit_start"),
    path("visits/<slug:number>/", views.visit_detail, name="visit"),
    path("visits/<slug:number>/people/", views.person_add, name="person_add"),
    path("visits/<slug:number>/people/<slug:key>/", views.person_update, name="person_update"),
    path("visits/<slug:number>/people/<slug:key>/edit/", views.person_edit, name="person_edit"),
    path(
        "visits/<slug:number>/people/<slug:key>/remove/", views.person_remove, name="person_remove"
    ),
    path("visits/<slug:number>/answer/", views.answer, name="answer"),
    path("visits/<slug:number>/answer/none/", views.answer_none, name="answer_none"),
    path("visits/<slug:number>/answer/withdraw/", views.answer_withdraw, name="answer_withdraw"),
    path("visits/<slug:number>/address/", views.address, name="address"),
    path("visits/<slug:number>/packet.pdf", views.packet, name="packet"),
    path("visits/<slug:number>/accept/", views.accept, name="accept"),
    path("visits/<slug:number>/card/", card_views.card_read, name="card_read"),
    path("postal/", postal.lookup, name="postal"),
    path("visits/<slug:number>/accept/confirm/", views.accept_confirm, name="accept_confirm"),
    path("visits/<slug:number>/cancel/", views.visit_cancel, name="visit_cancel"),
    path("visits/<slug:number>/reopen/", views.visit_reopen, name="visit_reopen"),
    # Under /printing/ since these pages were printing's; the paths are kept for issued links
    # and bookmarks.
    path("printing/sign/<str:token>/", tablet.sign, name="sign"),
    path(
        "printing/visits/<slug:number>/packets/<int:version>.pdf",
        views.packet_version,
        name="packet_version",
    ),
    path("printing/visits/<slug:number>/sign-qr.svg", tablet.sign_qr, name="sign_qr"),
    path(
        "printing/visits/<slug:number>/signature/clear/",
        tablet.signature_clear,
        name="signature_clear",
    ),
    path("printing/designer/", designer.upload, name="designer"),
    path("printing/designer/<slug:form_id>/", designer.edit, name="designer_edit"),
    path("printing/designer/<slug:form_id>/page.png", designer.page_png, name="designer_page"),
    path("printing/designer/<slug:form_id>/preview.png", designer.preview, name="designer_preview"),
    path("printing/designer/<slug:form_id>/save/", designer.save, name="designer_save"),
    path("audit/", audit_log.audit_log, name="audit_log"),
    path("audit.csv", audit_log.audit_log_csv, name="audit_log_csv"),
]
