from django.apps import AppConfig


class CommendationsConfig(AppConfig):
    name = "giamngheo.commendations"
    label = "commendations"
    verbose_name = "Thi đua, khen thưởng"
