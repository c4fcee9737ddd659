from django.db import migrations, models

from booking.core.migration_operations import VendorRunSQL

TABLE = "notifications_notification"
# The names Django gave them for `unique=True`.
POSTGRES_UNIQUE = "notifications_notification_dedupe_key_key"
POSTGRES_PATTERN_INDEX = "notifications_notification_dedupe_key_f195c156_like"
MYSQL_UNIQUE = "dedupe_key"
NAME = "notification_dedupe_key_unique"


class Migration(migrations.Migration):
    # The unique index stays and is renamed: no rebuild, outbox writes go on. PostgreSQL's
    # pattern index is dropped CONCURRENTLY, outside a transaction. On SQLite (development)
    # the column keeps its inline UNIQUE until the table is next rebuilt from the state.
    atomic = False

    dependencies = [
        ("notifications", "0004_notification_claim_token"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="notification",
                    name="dedupe_key",
                    field=models.CharField(max_length=200),
                ),
                migrations.AddConstraint(
                    model_name="notification",
                    constraint=models.UniqueConstraint(fields=["dedupe_key"], name=NAME),
                ),
            ],
            database_operations=[
                VendorRunSQL(
                    "postgresql",
                    [
                        f"ALTER TABLE {TABLE} RENAME CONSTRAINT {POSTGRES_UNIQUE} TO {NAME}",
                        f"DROP INDEX CONCURRENTLY IF EXISTS {POSTGRES_PATTERN_INDEX}",
                    ],
                    reverse_sql=[
                        f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {POSTGRES_PATTERN_INDEX} "
                        f"ON {TABLE} (dedupe_key varchar_pattern_ops)",
                        f"ALTER TABLE {TABLE} RENAME CONSTRAINT {NAME} TO {POSTGRES_UNIQUE}",
                    ],
                ),
                VendorRunSQL(
                    "mysql",
                    [f"ALTER TABLE {TABLE} RENAME INDEX {MYSQL_UNIQUE} TO {NAME}"],
                    reverse_sql=[f"ALTER TABLE {TABLE} RENAME INDEX {NAME} TO {MYSQL_UNIQUE}"],
                ),
            ],
        ),
    ]
