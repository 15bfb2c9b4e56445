"""Signing in beyond the password: the code step and the two-step sign-in page (namespace "accounts")."""

from django.urls import URLPattern, path

from giamngheo.accounts import views

app_name = "accounts"

urlpatterns: list[URLPattern] = [
    path("dang-nhap/ma-xac-thuc/", views.code_step, name="code-step"),
    path("xac-thuc-hai-buoc/", views.twofactor_page, name="two-factor"),
    path("xac-thuc-hai-buoc/ma-qr.svg", views.qr_code, name="two-factor-qr"),
]
