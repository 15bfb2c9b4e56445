from django.urls import path

from giamngheo.web import views

app_name = "web"

urlpatterns = [
    path("", views.household_list, name="household-list"),
    path("ho/<int:pk>/", views.household_detail, name="household-detail"),
]
