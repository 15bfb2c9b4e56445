"""The dashboard (app_name "web" comes from the including urls.py)."""

from django.urls import URLPattern, URLResolver, include, path

from giamngheo.web import (
    commendations,
    credit,
    dashboard,
    decisions,
    goals,
    procedure,
    programme,
    reports,
    yearend,
)

urlpatterns: list[URLPattern | URLResolver] = [
    path("tong-quan/", dashboard.dashboard, name="dashboard"),
    path("bao-cao/", reports.report_page, name="reports"),
    path("bao-cao/tong-ket/", yearend.summary_page, name="yearend"),
    path("quyet-dinh/", decisions.decisions_page, name="decisions"),
    path("von-chuong-trinh/", programme.programme_page, name="programme"),
    path("von-chuong-trinh/khoan/<int:pk>/", programme.allocation_page, name="programme-allocation"),
    path("von-chuong-trinh/khoan/<int:pk>/<slug:step>/", programme.allocation_step, name="programme-step"),
    path("tin-dung/", credit.credit_page, name="credit"),
    path("tin-dung/ho/<int:pk>/", credit.household_loans, name="credit-household"),
    path("tin-dung/nhap/", credit.import_page, name="credit-import"),
    path("tin-dung/nhap/<int:pk>/rut/", credit.batch_withdraw, name="credit-batch-withdraw"),
    path("chi-tieu/", goals.goals_page, name="goals"),
    path("chi-tieu/<int:area_pk>/<int:year>/<slug:code>/chi-tieu/", goals.target_form, name="goal-target"),
    path("chi-tieu/<int:area_pk>/<int:year>/<slug:code>/thuc-hien/", goals.actual_form, name="goal-actual"),
    path("khen-thuong/", commendations.commendations_page, name="commendations"),
    path(
        "khen-thuong/<int:pk>/thu-hoi/", commendations.commendation_withdrawal, name="commendation-withdraw"
    ),
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
    path("", include("giamngheo.web.urls_support")),
]
