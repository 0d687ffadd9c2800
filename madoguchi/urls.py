from django.urls import include, path

urlpatterns = [
    path("accounts/", include("accounts.urls")),
    path("catalog/", include("catalog.urls")),
    path("backoffice/", include("backoffice.urls")),
    path("api/", include("backoffice.api_urls")),
    path("queue/", include("queues.urls")),
    path("remote/", include("remote.urls")),
    path("", include("counter.urls")),
]

# Japanese error pages in the site's layout (madoguchi/errors.py).
handler400 = "madoguchi.errors.bad_request"
handler403 = "madoguchi.errors.permission_denied"
handler404 = "madoguchi.errors.page_not_found"
handler500 = "madoguchi.errors.server_error"
