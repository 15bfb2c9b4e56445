"""Edit forms of the household workspace (app_name "web" comes from the including urls.py)."""

from django.urls import URLPattern, path

from giamngheo.web.edit import assessments, households, members

urlpatterns: list[URLPattern] = [
    path("ho/moi/", households.household_create, name="household-create"),
    path("ho/thon/", households.household_villages, name="household-villages"),
    path("ho/<int:pk>/sua/", households.household_edit, name="household-edit"),
    path("ho/<int:pk>/sua/xem-truoc/", households.household_edit_preview, name="household-edit-preview"),
    path("ho/<int:pk>/thanh-vien/them/", members.member_add, name="member-add"),
    path("ho/<int:pk>/thanh-vien/them/xem-truoc/", members.member_add_preview, name="member-add-preview"),
    path("ho/<int:pk>/thanh-vien/<int:person_pk>/sua/", members.member_edit, name="member-edit"),
    path(
        "ho/<int:pk>/thanh-vien/<int:person_pk>/sua/xem-truoc/",
        members.member_edit_preview,
        name="member-edit-preview",
    ),
    path("ho/<int:pk>/thanh-vien/<int:person_pk>/roi-ho/", members.member_leave, name="member-leave"),
    path(
        "ho/<int:pk>/thanh-vien/<int:person_pk>/roi-ho/xem-truoc/",
        members.member_leave_preview,
        name="member-leave-preview",
    ),
    path("ho/<int:pk>/dieu-kien-song/", members.living_conditions, name="living-conditions"),
    path(
        "ho/<int:pk>/dieu-kien-song/xem-truoc/",
        members.living_conditions_preview,
        name="living-conditions-preview",
    ),
    path("ho/<int:pk>/ra-soat/", assessments.assessment_add, name="assessment-add"),
    path("ho/<int:pk>/ra-soat/xem-truoc/", assessments.assessment_add_preview, name="assessment-add-preview"),
    path("ho/<int:pk>/ra-soat/ghi-lai/", assessments.assessment_rerecord, name="assessment-rerecord"),
    path("ho/<int:pk>/ra-soat/mo-dot/", assessments.regular_round_open, name="regular-round-open"),
    path(
        "ho/<int:pk>/ra-soat/<int:assessment_pk>/dinh-chinh/",
        assessments.assessment_correct,
        name="assessment-correct",
    ),
]
