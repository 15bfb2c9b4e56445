"""The dashboard (app_name "web" comes from the including urls.py)."""

from django.urls import URLPattern, path

from giamngheo.web import dashboard, decisions, reports

urlpatterns: list[URLPattern] = [
    path("tong-quan/", dashboard.dashboard, name="dashboard"),
    path("bao-cao/", reports.report_page, name="reports"),
    path("quyet-dinh/", decisions.decisions_page, name="decisions"),
    path("quyet-dinh/<int:review_pk>/<int:commune_pk>/ghi/", decisions.decision_form, name="decision-form"),
    path(
        "quyet-dinh/<int:review_pk>/<int:commune_pk>/<slug:step>/",
        decisions.approval_step,
        name="approval-step",
    ),
]
