from django.urls import include, path

urlpatterns = [
    path("accounts/", include("accounts.urls")),
    path("catalog/", include("catalog.urls")),
    path("", include("counter.urls")),
]
