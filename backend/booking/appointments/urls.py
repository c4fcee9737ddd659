from django.urls import path

from booking.appointments import apis, salon_apis
from booking.core.routing import operations

urlpatterns = [
    path(
        "salons/<uuid:salon_id>/availability",
        apis.AvailabilityApi.as_view(),
        name="salon-availability",
    ),
    path(
        "appointments",
        operations(get=apis.AppointmentListApi, post=apis.AppointmentCreateApi),
        name="appointment-list",
    ),
    path(
        "appointments/<uuid:appointment_id>",
        apis.AppointmentDetailApi.as_view(),
        name="appointment-detail",
    ),
    path(
        "appointments/<uuid:appointment_id>/cancel",
        apis.AppointmentCancelApi.as_view(),
        name="appointment-cancel",
    ),
    path(
        "appointments/<uuid:appointment_id>/reschedule",
        apis.AppointmentRescheduleApi.as_view(),
        name="appointment-reschedule",
    ),
    path(
        "manage/salons/<uuid:salon_id>/appointments",
        salon_apis.SalonAppointmentListApi.as_view(),
        name="manage-appointment-list",
    ),
    path(
        "manage/salons/<uuid:salon_id>/appointments/<uuid:appointment_id>",
        salon_apis.SalonAppointmentDetailApi.as_view(),
        name="manage-appointment-detail",
    ),
    path(
        "manage/salons/<uuid:salon_id>/appointments/<uuid:appointment_id>/status",
        salon_apis.SalonAppointmentStatusApi.as_view(),
        name="manage-appointment-status",
    ),
]
