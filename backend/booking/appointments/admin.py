from __future__ import annotations

from django.contrib import admin

from booking.appointments.models import Appointment


@admin.register(Appointment)
class AppointmentAdmin(admin.ModelAdmin):
    list_display = ("start", "salon", "service", "staff", "customer", "status", "price", "currency")
    list_filter = ("status", "currency")
    search_fields = ("customer__email", "salon__name", "staff__display_name", "service__name")
    list_select_related = ("salon", "service", "staff", "customer")
    autocomplete_fields = ("salon", "service", "staff")
    raw_id_fields = ("customer",)
    date_hierarchy = "start"
    readonly_fields = ("created_at", "updated_at", "cancelled_at")
