from __future__ import annotations

from django.contrib import admin

from booking.salons.models import (
    Closure,
    OpeningHours,
    Salon,
    SalonMember,
    Service,
    StaffMember,
    TimeOff,
    WorkingHours,
)


class OpeningHoursInline(admin.TabularInline):
    model = OpeningHours
    extra = 0


class ClosureInline(admin.TabularInline):
    model = Closure
    extra = 0


class ServiceInline(admin.TabularInline):
    model = Service
    extra = 0
    fields = ("name", "duration_minutes", "buffer_after_minutes", "price", "currency", "is_active")
    show_change_link = True


class SalonMemberInline(admin.TabularInline):
    model = SalonMember
    extra = 0
    autocomplete_fields = ("user",)


@admin.register(Salon)
class SalonAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "city", "timezone", "is_active", "created_at")
    list_filter = ("is_active", "timezone", "address__country")
    search_fields = ("name", "slug", "address__city")
    list_select_related = ("address",)
    autocomplete_fields = ("address",)
    prepopulated_fields = {"slug": ("name",)}
    inlines = (SalonMemberInline, ServiceInline, OpeningHoursInline, ClosureInline)
    fieldsets = (
        (None, {"fields": ("name", "slug", "description", "address", "phone", "timezone")}),
        (
            "Booking policy",
            {
                "fields": (
                    "is_active",
                    "min_notice_minutes",
                    "horizon_days",
                    "cancellation_cutoff_minutes",
                    "slot_step_minutes",
                )
            },
        ),
    )

    @admin.display(ordering="address__city")
    def city(self, salon: Salon) -> str:
        return salon.address.city


@admin.register(SalonMember)
class SalonMemberAdmin(admin.ModelAdmin):
    list_display = ("user", "salon", "role", "created_at")
    list_filter = ("role",)
    search_fields = ("user__email", "salon__name")
    list_select_related = ("user", "salon")
    autocomplete_fields = ("user", "salon")


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "salon",
        "duration_minutes",
        "buffer_after_minutes",
        "price",
        "currency",
        "is_active",
    )
    list_filter = ("is_active", "currency")
    search_fields = ("name", "salon__name")
    list_select_related = ("salon",)
    autocomplete_fields = ("salon",)


class WorkingHoursInline(admin.TabularInline):
    model = WorkingHours
    extra = 0


class TimeOffInline(admin.TabularInline):
    model = TimeOff
    extra = 0


@admin.register(StaffMember)
class StaffMemberAdmin(admin.ModelAdmin):
    list_display = ("display_name", "salon", "user", "is_active")
    list_filter = ("is_active",)
    search_fields = ("display_name", "salon__name", "user__email")
    list_select_related = ("salon", "user")
    autocomplete_fields = ("salon", "user", "services")
    inlines = (WorkingHoursInline, TimeOffInline)


@admin.register(OpeningHours)
class OpeningHoursAdmin(admin.ModelAdmin):
    list_display = ("salon", "weekday", "opens", "closes")
    list_filter = ("weekday",)
    search_fields = ("salon__name",)
    list_select_related = ("salon",)
    autocomplete_fields = ("salon",)


@admin.register(Closure)
class ClosureAdmin(admin.ModelAdmin):
    list_display = ("salon", "start_date", "end_date", "reason")
    search_fields = ("salon__name", "reason")
    list_select_related = ("salon",)
    autocomplete_fields = ("salon",)
    date_hierarchy = "start_date"


@admin.register(WorkingHours)
class WorkingHoursAdmin(admin.ModelAdmin):
    list_display = ("staff", "salon", "weekday", "starts", "ends")
    list_filter = ("weekday",)
    search_fields = ("staff__display_name", "staff__salon__name")
    list_select_related = ("staff__salon",)
    autocomplete_fields = ("staff",)

    @admin.display(ordering="staff__salon__name")
    def salon(self, hours: WorkingHours) -> Salon:
        return hours.staff.salon


@admin.register(TimeOff)
class TimeOffAdmin(admin.ModelAdmin):
    list_display = ("staff", "salon", "start", "end", "reason")
    search_fields = ("staff__display_name", "staff__salon__name", "reason")
    list_select_related = ("staff__salon",)
    autocomplete_fields = ("staff",)
    date_hierarchy = "start"

    @admin.display(ordering="staff__salon__name")
    def salon(self, time_off: TimeOff) -> Salon:
        return time_off.staff.salon
