from django.urls import URLPattern, path

from giamngheo.jobs import views

app_name = "jobs"

urlpatterns: list[URLPattern] = [
    path("", views.job_list, name="list"),
    path("tai-len/", views.upload, name="upload"),
    path("phan-loai-dia-ban/", views.classify_area, name="classify-area"),
    path("mau-bang-tinh.xlsx", views.template_download, name="template"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/tien-do/", views.progress, name="progress"),
    path("<int:pk>/chay-lai/", views.restart, name="restart"),
    path("<int:pk>/tai-ket-qua/", views.download, name="download"),
    path("<int:pk>/tai-tep-goc/", views.download_input, name="download-input"),
]
