"""allauth's hooks: its e-mails go through our outbox, never straight to a mail server."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.utils import translation


@dataclass(frozen=True)
class Site:
    """What allauth's mail templates say about us (we run without django.contrib.sites)."""

    name: str
    domain: str


def current_site() -> Site:
    return Site(name="Salon booking", domain=urlsplit(settings.FRONTEND_URL).netloc)


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        """Render allauth's message now, and write it as an outbox row sent after commit."""
        from booking.notifications.services import notification_account_email

        context = {"email": email, "current_site": current_site(), **context}
        message = self.render_mail(template_prefix, email, context)
        notification_account_email(
            recipient=email,
            subject=str(message.subject),
            body=str(message.body),
            language=translation.get_language() or "en",
            purpose=template_prefix.rsplit("/", 1)[-1],
        )
