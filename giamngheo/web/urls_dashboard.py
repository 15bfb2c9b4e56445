"""The dashboard (app_name "web" comes from the including urls.py)."""

from django.urls import URLPattern, path

from giamngheo.web import dashboard, decisions, procedure, reports

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
    path("quy-trinh/don-de-nghi/", procedure.requests_page, name="procedure-requests"),
    path("quy-trinh/bien-ban/<int:meeting_pk>/", procedure.minutes_download, name="procedure-minutes"),
    path(
        "quy-trinh/giay-chung-nhan/<int:pk>.pdf", procedure.certificate_download, name="procedure-certificate"
    ),
    path("quy-trinh/tra-loi/<int:pk>.pdf", procedure.refusal_download, name="procedure-refusal"),
    path("quy-trinh/<int:review_pk>/<int:commune_pk>/", procedure.procedure_page, name="procedure"),
    path(
        "quy-trinh/<int:review_pk>/<int:commune_pk>/hop-dan/<int:village_pk>/",
        procedure.meeting_form,
        name="procedure-meeting",
    ),
    path(
        "quy-trinh/<int:review_pk>/<int:commune_pk>/niem-yet/",
        procedure.posting_list,
        name="procedure-posting-list",
    ),
]
