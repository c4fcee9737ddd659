from django.urls import path

from booking.notifications import apis

urlpatterns = [
    path(
        "appointments/<uuid:appointment_id>/notifications",
        apis.AppointmentNotificationListApi.as_view(),
        name="appointment-notifications",
    ),
]
