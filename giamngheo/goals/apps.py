from django.apps import AppConfig


class GoalsConfig(AppConfig):
    name = "giamngheo.goals"
    label = "goals"
    verbose_name = "Chỉ tiêu và kết quả thực hiện"

    def ready(self) -> None:
        # The built-in computations register themselves on import (`computations`).
        from giamngheo.goals import computations  # noqa: F401
