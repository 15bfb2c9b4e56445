"""The dashboard (app_name "web" comes from the including urls.py)."""

from django.urls import URLPattern, path

from giamngheo.web import dashboard

urlpatterns: list[URLPattern] = [
    path("tong-quan/", dashboard.dashboard, name="dashboard"),
]
