from django.urls import include, path

from madoguchi.api import api

urlpatterns = [
    path("accounts/", include("accounts.urls")),
    path("catalog/", include("catalog.urls")),
    path("backoffice/", include("backoffice.urls")),
    path("", api.urls),  # /api/… and /queue/api/…: the core systems' JSON API
    path("queue/", include("queues.urls")),
    path("queue/", include("analytics.urls")),
    path("remote/", include("remote.urls")),
    path("preentry/", include("preentry.urls")),
    path("training/", include("training.urls")),
    path("", include("counter.urls")),
]

# Japanese error pages in the site's layout (madoguchi/errors.py).
handler400 = "madoguchi.errors.bad_request"
handler403 = "madoguchi.errors.permission_denied"
handler404 = "madoguchi.errors.page_not_found"
handler500 = "madoguchi.errors.server_error"
