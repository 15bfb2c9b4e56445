from django.urls import include, path

from giamngheo.web import household, views

app_name = "web"

urlpatterns = [
    path("", views.household_list, name="household-list"),
    path("in/", views.household_list_print, name="household-print"),
    path("danh-sach-ho.xlsx", views.household_list_export, name="household-export"),
    path("ho/<int:pk>/", household.household_detail, name="household-detail"),
    path("", include("giamngheo.web.urls_dashboard")),
    path("", include("giamngheo.web.urls_edit")),
    path("", include("giamngheo.web.urls_tokens")),
]
