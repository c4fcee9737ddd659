from django.urls import include, path

urlpatterns = [
    path("manage/", include("booking.salons.manage_urls")),
]
