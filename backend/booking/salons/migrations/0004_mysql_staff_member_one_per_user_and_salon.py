# MySQL has no partial unique indexes, so Django leaves staff_member_one_per_user_and_salon
# (unique (salon, user) where user is not null) out there. A plain unique index says the same
# on MySQL, whose unique indexes never consider two NULLs equal. Runs on MySQL/MariaDB only.

from django.db import migrations

from booking.core.migration_operations import VendorRunSQL


class Migration(migrations.Migration):

    dependencies = [
        ("salons", "0003_salon_active_by_name"),
    ]

    operations = [
        VendorRunSQL(
            "mysql",
            sql=[
                "CREATE UNIQUE INDEX `staff_member_one_per_user_and_salon` "
                "ON `salons_staffmember` (`salon_id`, `user_id`)"
            ],
            reverse_sql=[
                "DROP INDEX `staff_member_one_per_user_and_salon` ON `salons_staffmember`"
            ],
        ),
    ]
