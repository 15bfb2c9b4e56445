from django.urls import include, path

from giamngheo.web import household, views

app_name = "web"

urlpatterns = [
    path("", views.household_list, name="household-list"),
    path("ho/<int:pk>/", household.household_detail, name="household-detail"),
    path("", include("giamngheo.web.urls_dashboard")),
    path("", include("giamngheo.web.urls_edit")),
    path("", include("giamngheo.web.urls_tokens")),
]
