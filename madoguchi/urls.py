from django.urls import include, path

urlpatterns = [
    path("accounts/", include("accounts.urls")),
    path("catalog/", include("catalog.urls")),
    path("printing/", include("printing.urls")),
    path("backoffice/", include("backoffice.urls")),
    path("api/", include("backoffice.api_urls")),
    path("queue/", include("queues.urls")),
    path("remote/", include("remote.urls")),
    path("", include("counter.urls")),
]
