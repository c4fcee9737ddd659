# The MySQL form of appointment_no_overlap_per_staff (PostgreSQL's exclusion constraint, which
# MySQL has no syntax for): triggers that reject an occupying appointment overlapping another
# occupying appointment of the same staff member. Runs on MySQL/MariaDB only.
#
# Race safety: before looking for overlaps each trigger locks the staff member's row
# (SELECT ... FOR UPDATE, the lock `lock_staff` takes in the services), so two writers for one
# staff member are serialized by the server even when they bypass the services; the overlap
# check is a locking read, which sees the latest committed rows whatever the isolation level.
# The error is SQLSTATE 23000 (integrity constraint violation) with MariaDB's "CONSTRAINT
# failed" errno 4025, which Django's MySQL backend raises as IntegrityError on MySQL too.

from django.db import migrations

from booking.core.migration_operations import VendorRunSQL

OCCUPYING = "('confirmed', 'completed', 'no_show')"

CHECK = f"""
    SELECT COUNT(*) INTO staff_rows FROM `salons_staffmember`
        WHERE `id` = NEW.`staff_id` FOR UPDATE;
    SELECT COUNT(*) INTO overlapping FROM `appointments_appointment`
        WHERE `staff_id` = NEW.`staff_id`
          AND `id` <> NEW.`id`
          AND `status` IN {OCCUPYING}
          AND `start` < NEW.`occupied_until`
          AND `occupied_until` > NEW.`start`
        LOCK IN SHARE MODE;
    IF overlapping > 0 THEN
        SIGNAL SQLSTATE '23000' SET MYSQL_ERRNO = 4025,
            MESSAGE_TEXT = 'CONSTRAINT `appointment_no_overlap_per_staff` failed for `appointments_appointment`';
    END IF;
"""

INSERT_TRIGGER = f"""
CREATE TRIGGER `appointment_no_overlap_per_staff_insert`
BEFORE INSERT ON `appointments_appointment` FOR EACH ROW
BEGIN
    DECLARE staff_rows INT;
    DECLARE overlapping INT;
    IF NEW.`status` IN {OCCUPYING} THEN
        {CHECK}
    END IF;
END
"""

# Only a change that can create an overlap is checked (a status change between occupying
# statuses, or any change of other columns, cannot), so closing an appointment takes no lock.
UPDATE_TRIGGER = f"""
CREATE TRIGGER `appointment_no_overlap_per_staff_update`
BEFORE UPDATE ON `appointments_appointment` FOR EACH ROW
BEGIN
    DECLARE staff_rows INT;
    DECLARE overlapping INT;
    IF NEW.`status` IN {OCCUPYING} AND (
        OLD.`status` NOT IN {OCCUPYING}
        OR NEW.`staff_id` <> OLD.`staff_id`
        OR NEW.`start` <> OLD.`start`
        OR NEW.`occupied_until` <> OLD.`occupied_until`
    ) THEN
        {CHECK}
    END IF;
END
"""


class Migration(migrations.Migration):

    dependencies = [
        ("appointments", "0002_fk_indexes_covered_by_composites"),
    ]

    operations = [
        VendorRunSQL(
            "mysql",
            sql=[INSERT_TRIGGER, UPDATE_TRIGGER],
            reverse_sql=[
                "DROP TRIGGER IF EXISTS `appointment_no_overlap_per_staff_update`",
                "DROP TRIGGER IF EXISTS `appointment_no_overlap_per_staff_insert`",
            ],
        ),
    ]
