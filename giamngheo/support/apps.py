from django.apps import AppConfig


class SupportConfig(AppConfig):
    name = "giamngheo.support"
    label = "support"
    verbose_name = "Hỗ trợ hộ nghèo, hộ cận nghèo"

    def ready(self) -> None:
        from giamngheo.goals.computations import register
        from giamngheo.support.computations import houses_completed

        register("houses_supported", houses_completed)
