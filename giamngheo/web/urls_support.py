"""The support pages (app_name "web" comes from the including urls.py)."""

from django.urls import URLPattern, path

from giamngheo.web import support

urlpatterns: list[URLPattern] = [
    path("ho-tro/", support.overview_page, name="support-overview"),
    path("ho-tro/nha-o/", support.housing_page, name="support-housing"),
    path("ho-tro/nha-o/<int:case_pk>/buoc/", support.case_step, name="support-housing-step"),
    path("ho-tro/muc/<int:event_pk>/dinh-chinh/", support.event_correct, name="support-correct"),
    path("ho-tro/muc/<int:event_pk>/huy/", support.event_cancel, name="support-cancel"),
    path("ho/<int:pk>/ho-tro/ghi/", support.event_record, name="support-record"),
    path("ho/<int:pk>/ho-tro/nha-o/", support.case_open, name="support-housing-open"),
]
