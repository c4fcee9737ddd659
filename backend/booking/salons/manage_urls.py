"""Routes of the management API, mounted at /api/v1/manage/."""

from __future__ import annotations

from django.urls import path

from booking.core.routing import operations
from booking.salons import manage_apis as apis

SALON = "salons/<uuid:salon_id>"
STAFF = f"{SALON}/staff/<uuid:staff_id>"

urlpatterns = [
    path(
        "salons",
        operations(get=apis.ManagedSalonListApi, post=apis.ManagedSalonCreateApi),
        name="manage-salons",
    ),
    path(
        SALON,
        operations(get=apis.ManagedSalonDetailApi, patch=apis.ManagedSalonUpdateApi),
        name="manage-salon",
    ),
    path(
        f"{SALON}/policy",
        operations(get=apis.ManagedSalonPolicyApi, put=apis.ManagedSalonPolicyUpdateApi),
        name="manage-salon-policy",
    ),
    path(
        f"{SALON}/hours",
        operations(get=apis.ManagedOpeningHoursApi, put=apis.ManagedOpeningHoursReplaceApi),
        name="manage-opening-hours",
    ),
    path(
        f"{SALON}/closures",
        operations(get=apis.ManagedClosureListApi, post=apis.ManagedClosureCreateApi),
        name="manage-closures",
    ),
    path(
        f"{SALON}/closures/<uuid:closure_id>",
        operations(delete=apis.ManagedClosureDeleteApi),
        name="manage-closure",
    ),
    path(
        f"{SALON}/services",
        operations(get=apis.ManagedServiceListApi, post=apis.ManagedServiceCreateApi),
        name="manage-services",
    ),
    path(
        f"{SALON}/services/<uuid:service_id>",
        operations(
            get=apis.ManagedServiceDetailApi,
            patch=apis.ManagedServiceUpdateApi,
            delete=apis.ManagedServiceDeactivateApi,
        ),
        name="manage-service",
    ),
    path(
        f"{SALON}/staff",
        operations(get=apis.ManagedStaffListApi, post=apis.ManagedStaffCreateApi),
        name="manage-staff-list",
    ),
    path(
        STAFF,
        operations(
            get=apis.ManagedStaffDetailApi,
            patch=apis.ManagedStaffUpdateApi,
            delete=apis.ManagedStaffDeactivateApi,
        ),
        name="manage-staff",
    ),
    path(
        f"{STAFF}/hours",
        operations(get=apis.ManagedWorkingHoursApi, put=apis.ManagedWorkingHoursReplaceApi),
        name="manage-working-hours",
    ),
    path(
        f"{STAFF}/time-off",
        operations(get=apis.ManagedTimeOffListApi, post=apis.ManagedTimeOffCreateApi),
        name="manage-time-off-list",
    ),
    path(
        f"{STAFF}/time-off/<uuid:time_off_id>",
        operations(delete=apis.ManagedTimeOffDeleteApi),
        name="manage-time-off",
    ),
]
