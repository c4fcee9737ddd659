from django.urls import include, path

from booking.salons import apis

urlpatterns = [
    path("salons", apis.SalonListApi.as_view(), name="salon-list"),
    path("salons/<uuid:salon_id>", apis.SalonDetailApi.as_view(), name="salon-detail"),
    path("manage/", include("booking.salons.manage_urls")),
]
