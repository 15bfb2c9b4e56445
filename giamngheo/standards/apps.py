from django.apps import AppConfig


class StandardsConfig(AppConfig):
    name = "giamngheo.standards"
    label = "standards"
