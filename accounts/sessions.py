"""What a session remembers about its own use: madoguchi.middleware writes it on every request a
person made, accounts.views.keepalive reads it to tell the screen how long is left."""

LAST_ACTIVITY = "madoguchi_last_activity"
