"""Routes of the management API, mounted at /api/v1/manage/.

Each operation is its own API class; `operations()` puts the classes that share a path behind
one view that hands each request to the class for its method (and shows them all in OpenAPI).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponseBase
from django.urls import path
from rest_framework.views import APIView

from booking.salons import manage_apis as apis


def operations(**by_method: type[APIView]) -> Callable[..., HttpResponseBase]:
    views = {method: cls.as_view() for method, cls in by_method.items()}

    class Operations(APIView):
        def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            view = views.get((request.method or "").lower())
            if view is None:  # 405 (or 401) the usual way
                return super().dispatch(request, *args, **kwargs)
            return view(request, *args, **kwargs)

    for method, cls in by_method.items():
        # Schema generation reads the handler (and its @extend_schema) from the class.
        setattr(Operations, method, getattr(cls, method))
    Operations.__name__ = Operations.__qualname__ = "".join(
        cls.__name__.removeprefix("Managed").removesuffix("Api") for cls in by_method.values()
    )
    return Operations.as_view()


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
