from __future__ import annotations

from django.contrib import admin

from booking.addresses.models import Address


@admin.register(Address)
class AddressAdmin(admin.ModelAdmin):
    list_display = ("line1", "postal_code", "city", "region", "country")
    list_filter = ("country",)
    search_fields = ("line1", "line2", "city", "postal_code")
    ordering = ("country", "city", "line1")
