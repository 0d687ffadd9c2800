from django.urls import path

from analytics import views

# Mounted under /queue/ (madoguchi/urls.py): the paths kept from when queues drew the dashboard.
app_name = "analytics"
urlpatterns = [
    path("analytics/", views.dashboard, name="dashboard"),
    path("analytics.csv", views.dashboard_csv, name="dashboard_csv"),
]
