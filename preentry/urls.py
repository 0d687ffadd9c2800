from django.urls import path

from preentry import views

app_name = "preentry"
urlpatterns = [
    # The resident's phone: public, rate-limited (madoguchi.middleware.PUBLIC_VIEWS).
    path("", views.start, name="start"),
    path("e/<slug:token>/", views.resume, name="resume"),
    path("e/<slug:token>/move/", views.move, name="move"),
    path("e/<slug:token>/people/", views.people, name="people"),
    path("e/<slug:token>/questions/", views.questions, name="questions"),
    path("e/<slug:token>/done/", views.done, name="done"),
    path("e/<slug:token>/wording/", views.set_wording, name="wording"),
    # The counter: staff only (accounts.access).
    path("scan/", views.scan, name="scan"),
    path("open/", views.open_entry, name="open"),
]
