"""Users still without any EmailAddress get their address as a verified, primary one.

They are the demo's people seeded before the demo wrote their addresses (allauth refused their
sign-in: verification is mandatory) and accounts made outside the sign-up flows (the admin's
"add user", createsuperuser). Each was given that address by the operator or the seed; the
same step as 0003. Users with any address row keep it as it is.
"""

from django.db import migrations

from booking.accounts.address_backfill import verify_addressless_users


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_existing_users_email_addresses")]

    operations = [migrations.RunPython(verify_addressless_users, migrations.RunPython.noop)]
