from django.urls import path

from queues import views

app_name = "queues"
urlpatterns = [
    path("kiosk/<slug:office>/", views.kiosk, name="kiosk"),
    path("display/<slug:office>/", views.display, name="display"),
    path("chime.wav", views.chime, name="chime"),
    path("announce/<str:label>/<int:counter>.wav", views.announce, name="announce"),
    path("t/<slug:token>/", views.wait, name="wait"),
    path("t/<slug:token>/status.json", views.wait_status, name="wait_status"),
    path("t/<slug:token>/print/", views.ticket_print, name="ticket_print"),
    path("book/<slug:office>/", views.book, name="book"),
    path("book/<slug:office>/okuyami/", views.book_okuyami, name="book_okuyami"),
    path("r/<slug:key>/", views.my_reservation, name="my_reservation"),
    path("staff/", views.staff_screen, name="staff"),
    path("staff/issue/", views.staff_issue, name="staff_issue"),
    path("staff/counters/<int:pk>/next/", views.call_next, name="call_next"),
    path("staff/tickets/<int:pk>/<slug:action>/", views.ticket_action, name="ticket_action"),
    path("reservations/", views.reservations, name="reservations"),
    path("reservations/<int:pk>/prepare/", views.reservation_prepare, name="reservation_prepare"),
    path("reservations/<int:pk>/cancel/", views.reservation_cancel, name="reservation_cancel"),
]
