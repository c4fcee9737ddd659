"""Every user from before allauth gets its address as a verified, primary EmailAddress.

They registered, and have been receiving booking e-mails at it; asking all of them to verify
would stop their reminders until they did. Passwords are untouched (same hashes, same logins).
"""

from django.db import migrations

from booking.accounts.address_backfill import verify_addressless_users


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_user_language_user_notify_by_email_and_more"),
        ("account", "0009_emailaddress_unique_primary_email"),
    ]

    operations = [migrations.RunPython(verify_addressless_users, migrations.RunPython.noop)]
