"""Every user from before allauth gets its address as a verified, primary EmailAddress.

They registered, and have been receiving booking e-mails at it; asking all of them to verify
would stop their reminders until they did. Passwords are untouched (same hashes, same logins).
"""

from django.db import migrations


def forwards(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    EmailAddress = apps.get_model("account", "EmailAddress")
    have = set(EmailAddress.objects.values_list("user_id", flat=True))
    EmailAddress.objects.bulk_create(
        [
            EmailAddress(user_id=user_id, email=email.lower(), verified=True, primary=True)
            for user_id, email in User.objects.values_list("id", "email").iterator()
            if user_id not in have
        ],
        batch_size=1000,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_user_language_user_notify_by_email_and_more"),
        ("account", "0009_emailaddress_unique_primary_email"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
