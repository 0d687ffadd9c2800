from django.urls import path

from queues import consumers

websocket_urlpatterns = [
    path("ws/queue/display/<slug:office>/", consumers.DisplayConsumer.as_asgi()),
    path("ws/queue/ticket/<slug:token>/", consumers.TicketConsumer.as_asgi()),
]
