from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from booking.notifications.models import Notification
from booking.notifications.services import notification_resend


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = (
        "kind",
        "channel",
        "recipient",
        "status",
        "attempts",
        "due_at",
        "sent_at",
        "short_error",
    )
    list_filter = ("status", "channel", "kind")
    search_fields = ("recipient", "dedupe_key", "provider_message_id", "appointment__id")
    raw_id_fields = ("appointment",)
    readonly_fields = (
        "dedupe_key",
        "attempts",
        "last_error",
        "provider_message_id",
        "sent_at",
        "claimed_until",
        "last_enqueued_at",
        "created_at",
        "updated_at",
    )
    date_hierarchy = "created_at"
    actions = ("resend",)

    @admin.display(description="last error")
    def short_error(self, notification: Notification) -> str:
        return notification.last_error[:80]

    @admin.action(description="Send again (as a new notification)")
    def resend(self, request: HttpRequest, queryset: QuerySet[Notification]) -> None:
        for notification in queryset:
            notification_resend(notification=notification)
        self.message_user(
            request, f"{queryset.count()} notification(s) queued again.", messages.SUCCESS
        )
