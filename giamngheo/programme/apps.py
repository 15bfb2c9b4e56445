from django.apps import AppConfig


class ProgrammeConfig(AppConfig):
    name = "giamngheo.programme"
    label = "programme"
    verbose_name = "Vốn chương trình mục tiêu quốc gia"
