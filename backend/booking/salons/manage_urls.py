"""Routes of the management API, mounted at /api/v1/manage/."""

from __future__ import annotations

from django.urls import path

from booking.core.routing import operations
from booking.salons.manage_apis import closure, hours, salon, service, staff, time_off

SALON = "salons/<uuid:salon_id>"
STAFF = f"{SALON}/staff/<uuid:staff_id>"

urlpatterns = [
    path(
        "salons",
        operations(get=salon.ManagedSalonListApi, post=salon.ManagedSalonCreateApi),
        name="manage-salons",
    ),
    path(
        SALON,
        operations(get=salon.ManagedSalonDetailApi, patch=salon.ManagedSalonUpdateApi),
        name="manage-salon",
    ),
    path(
        f"{SALON}/policy",
        operations(get=salon.ManagedSalonPolicyApi, put=salon.ManagedSalonPolicyUpdateApi),
        name="manage-salon-policy",
    ),
    path(
        f"{SALON}/hours",
        operations(get=hours.ManagedOpeningHoursApi, put=hours.ManagedOpeningHoursReplaceApi),
        name="manage-opening-hours",
    ),
    path(
        f"{SALON}/closures",
        operations(get=closure.ManagedClosureListApi, post=closure.ManagedClosureCreateApi),
        name="manage-closures",
    ),
    path(
        f"{SALON}/closures/<uuid:closure_id>",
        operations(delete=closure.ManagedClosureDeleteApi),
        name="manage-closure",
    ),
    path(
        f"{SALON}/services",
        operations(get=service.ManagedServiceListApi, post=service.ManagedServiceCreateApi),
        name="manage-services",
    ),
    path(
        f"{SALON}/services/<uuid:service_id>",
        operations(
            get=service.ManagedServiceDetailApi,
            patch=service.ManagedServiceUpdateApi,
        ),
        name="manage-service",
    ),
    path(
        f"{SALON}/staff",
        operations(get=staff.ManagedStaffListApi, post=staff.ManagedStaffCreateApi),
        name="manage-staff-list",
    ),
    path(
        STAFF,
        operations(
            get=staff.ManagedStaffDetailApi,
            patch=staff.ManagedStaffUpdateApi,
        ),
        name="manage-staff",
    ),
    path(
        f"{STAFF}/hours",
        operations(get=hours.ManagedWorkingHoursApi, put=hours.ManagedWorkingHoursReplaceApi),
        name="manage-working-hours",
    ),
    path(
        f"{STAFF}/time-off",
        operations(get=time_off.ManagedTimeOffListApi, post=time_off.ManagedTimeOffCreateApi),
        name="manage-time-off-list",
    ),
    path(
        f"{STAFF}/time-off/<uuid:time_off_id>",
        operations(delete=time_off.ManagedTimeOffDeleteApi),
        name="manage-time-off",
    ),
]
