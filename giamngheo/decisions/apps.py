from django.apps import AppConfig


class DecisionsConfig(AppConfig):
    name = "giamngheo.decisions"
    label = "decisions"
    verbose_name = "Quyết định công nhận, danh sách chính thức"
