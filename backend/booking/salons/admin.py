from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import admin
from django.db.models import Model, QuerySet
from django.forms import ModelForm
from django.http import HttpRequest

from booking.salons.availability_cache import schedule_changed_on_commit
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


class ScheduleAdmin(admin.ModelAdmin):
    """An admin for what availability is computed from: a change moves the salon's schedule
    version after the admin's transaction commits, as the services do. Without it an edit
    showed in availability only once the cached snapshot expired (SCHEDULE_CACHE_SECONDS)."""

    def salon_id_of(self, obj: Any) -> UUID:
        return obj.salon_id  # type: ignore[no-any-return]

    def save_related(
        self, request: HttpRequest, form: ModelForm, formsets: Any, change: bool
    ) -> None:
        """After the object and its inlines (hours, time off, ...): every add and change."""
        super().save_related(request, form, formsets, change)
        schedule_changed_on_commit(self.salon_id_of(form.instance))

    def delete_model(self, request: HttpRequest, obj: Model) -> None:
        salon_id = self.salon_id_of(obj)
        super().delete_model(request, obj)
        schedule_changed_on_commit(salon_id)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        salon_ids = {self.salon_id_of(obj) for obj in queryset}
        super().delete_queryset(request, queryset)
        for salon_id in salon_ids:
            schedule_changed_on_commit(salon_id)


class StaffScheduleAdmin(ScheduleAdmin):
    def salon_id_of(self, obj: Any) -> UUID:
        return obj.staff.salon_id  # type: ignore[no-any-return]


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
class SalonAdmin(ScheduleAdmin):
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

    def salon_id_of(self, obj: Any) -> UUID:
        return obj.id  # type: ignore[no-any-return]

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
class ServiceAdmin(ScheduleAdmin):
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
class StaffMemberAdmin(ScheduleAdmin):
    list_display = ("display_name", "salon", "user", "is_active")
    list_filter = ("is_active",)
    search_fields = ("display_name", "salon__name", "user__email")
    list_select_related = ("salon", "user")
    autocomplete_fields = ("salon", "user", "services")
    inlines = (WorkingHoursInline, TimeOffInline)


@admin.register(OpeningHours)
class OpeningHoursAdmin(ScheduleAdmin):
    list_display = ("salon", "weekday", "opens", "closes")
    list_filter = ("weekday",)
    search_fields = ("salon__name",)
    list_select_related = ("salon",)
    autocomplete_fields = ("salon",)


@admin.register(Closure)
class ClosureAdmin(ScheduleAdmin):
    list_display = ("salon", "start_date", "end_date", "reason")
    search_fields = ("salon__name", "reason")
    list_select_related = ("salon",)
    autocomplete_fields = ("salon",)
    date_hierarchy = "start_date"


@admin.register(WorkingHours)
class WorkingHoursAdmin(StaffScheduleAdmin):
    list_display = ("staff", "salon", "weekday", "starts", "ends")
    list_filter = ("weekday",)
    search_fields = ("staff__display_name", "staff__salon__name")
    list_select_related = ("staff__salon",)
    autocomplete_fields = ("staff",)

    @admin.display(ordering="staff__salon__name")
    def salon(self, hours: WorkingHours) -> Salon:
        return hours.staff.salon


@admin.register(TimeOff)
class TimeOffAdmin(StaffScheduleAdmin):
    list_display = ("staff", "salon", "start", "end", "reason")
    search_fields = ("staff__display_name", "staff__salon__name", "reason")
    list_select_related = ("staff__salon",)
    autocomplete_fields = ("staff",)
    date_hierarchy = "start"

    @admin.display(ordering="staff__salon__name")
    def salon(self, time_off: TimeOff) -> Salon:
        return time_off.staff.salon
