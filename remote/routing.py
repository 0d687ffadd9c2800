from django.urls import path

from remote import consumers

websocket_urlpatterns = [
    path("ws/remote/<int:pk>/", consumers.RoomConsumer.as_asgi()),
]
