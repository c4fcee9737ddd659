from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "booking.core"
    label = "core"

    def ready(self) -> None:
        from booking.core.json_types import use_strict_json_types
        from booking.core.request_signals import trim_request_signals

        use_strict_json_types()
        trim_request_signals()
