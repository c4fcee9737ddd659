from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "booking.core"
    label = "core"

    def ready(self) -> None:
        from booking.core.json_types import use_strict_json_types

        use_strict_json_types()
