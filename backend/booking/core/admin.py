from __future__ import annotations

from django.contrib import admin

from booking.core.models import IdempotencyRecord


@admin.register(IdempotencyRecord)
class IdempotencyRecordAdmin(admin.ModelAdmin):
    list_display = ("key", "scope", "user", "response_status", "created_at", "expires_at")
    list_filter = ("scope", "response_status")
    search_fields = ("key", "scope", "user__email")
    list_select_related = ("user",)
    raw_id_fields = ("user",)
    date_hierarchy = "created_at"
    readonly_fields = ("created_at",)
