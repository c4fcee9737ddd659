from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "booking.core"
    label = "core"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from booking.core.json_types import use_strict_json_types
        from booking.core.pg_timestamps import use_psycopg_timestamp_loader
        from booking.core.request_signals import trim_request_signals

        use_strict_json_types()
        trim_request_signals()
        connection_created.connect(use_psycopg_timestamp_loader, dispatch_uid="pg_timestamps")
