from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from giamngheo.accounts.views import SignInView
from giamngheo.api.urls import api
from giamngheo.jobs.health import healthz
from giamngheo.web import errors

# Error pages in the site's layout, with the reason (giamngheo.web.errors); the API answers its own in JSON.
handler400 = errors.bad_request
handler403 = errors.permission_denied
handler404 = errors.page_not_found
handler500 = errors.server_error

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("", include("giamngheo.web.urls")),
    path("cong-viec/", include("giamngheo.jobs.urls")),
    path("api/", api.urls),
    # Throttled by django-axes; two-step sign-in continues at accounts:code-step (giamngheo.accounts).
    path("dang-nhap/", SignInView.as_view(), name="login"),
    path("", include("giamngheo.accounts.urls")),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("doi-mat-khau/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("doi-mat-khau/xong/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
