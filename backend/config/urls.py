from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from booking.core.web_app import web_app_urls

api_v1: list[URLPattern | URLResolver] = [
    path("", include("booking.accounts.urls")),
    path("", include("booking.salons.urls")),
    path("", include("booking.appointments.urls")),
    path("", include("booking.notifications.urls")),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="docs"),
]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema-root"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema-root"), name="docs-root"),
    path("api/docs/redoc/", SpectacularRedocView.as_view(url_name="schema-root"), name="redoc"),
    # allauth's headless API: /api/_allauth/{browser,app}/v1/... (in /api/schema/ as well)
    path("api/_allauth/", include("allauth.headless.urls")),
    *web_app_urls(),  # last: every other path is one of the web app's routes
]

handler400 = "booking.core.exceptions.bad_request_view"
handler403 = "booking.core.exceptions.permission_denied_view"
handler404 = "booking.core.exceptions.not_found_view"
handler500 = "booking.core.exceptions.server_error_view"
