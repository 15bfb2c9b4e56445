from django.apps import AppConfig


class AreasConfig(AppConfig):
    name = "giamngheo.areas"
    label = "areas"

    def ready(self) -> None:
        from giamngheo.areas import territory_cache  # noqa: F401  (connects its signal receivers)
