"""The admin application with `giamngheo.accounts.admin_site.SignInAdminSite` as `admin.site` (INSTALLED_APPS)."""

from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig


class AdminConfig(DjangoAdminConfig):
    default_site = "giamngheo.accounts.admin_site.SignInAdminSite"
