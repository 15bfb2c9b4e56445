"""The API token page (app_name "web" comes from the including urls.py)."""

from django.urls import URLPattern, path

from giamngheo.web import tokens

urlpatterns: list[URLPattern] = [
    path("ma-api/", tokens.token_list, name="tokens"),
    path("ma-api/tao/", tokens.token_new, name="token-create"),
    path("ma-api/<int:pk>/thu-hoi/", tokens.token_revoke_view, name="token-revoke"),
]
