from django.apps import AppConfig


class YearEndConfig(AppConfig):
    name = "giamngheo.yearend"
    label = "yearend"
    verbose_name = "Báo cáo tổng kết"
