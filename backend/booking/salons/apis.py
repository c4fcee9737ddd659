"""Public salon reads: anyone may find a salon and see what it offers."""

from __future__ import annotations

from uuid import UUID

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.views import APIView

from booking.core.pagination import Pagination, paginated_response
from booking.core.response_cache import cached_json
from booking.core.schema import ClockTimeField
from booking.core.validation import validated_input
from booking.salons.availability_cache import (
    catalogue_version_key,
    schedule_version_key,
)
from booking.salons.selectors import (
    salon_get,
    salon_list,
    salon_page_seconds_valid,
    salons_in_order,
)


class AddressOutputSerializer(serializers.Serializer):
    line1 = serializers.CharField()
    line2 = serializers.CharField()
    city = serializers.CharField()
    region = serializers.CharField()
    postal_code = serializers.CharField()
    country = serializers.CharField()
    latitude = serializers.DecimalField(max_digits=9, decimal_places=6, allow_null=True)
    longitude = serializers.DecimalField(max_digits=9, decimal_places=6, allow_null=True)


class PublicApi(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []


class SalonListApi(PublicApi):
    pagination_class = Pagination  # documents the page object in the schema

    class FilterSerializer(serializers.Serializer):
        search = serializers.CharField(required=False, max_length=100)
        city = serializers.CharField(required=False, max_length=100)
        service = serializers.CharField(required=False, max_length=100)

    class OutputSerializer(serializers.Serializer):
        id = serializers.UUIDField()
        name = serializers.CharField()
        slug = serializers.CharField()
        city = serializers.CharField(source="address.city")
        country = serializers.CharField(source="address.country")
        timezone = serializers.CharField()

    # Pages are cached under the catalogue version: any salon change through the services
    # moves it, so a repeat page costs neither the query nor its COUNT.
    response_cache_version_key = staticmethod(catalogue_version_key)

    @extend_schema(
        parameters=[FilterSerializer],
        responses=OutputSerializer(many=True),
    )
    def get(self, request: Request) -> HttpResponse:
        filters = validated_input(self.FilterSerializer, request.query_params)
        return cached_json(
            request=request,
            version_key=catalogue_version_key(),
            build=lambda: (
                self._page(request, filters),
                settings.SALON_LIST_CACHE_SECONDS,
            ),
        )

    def _page(self, request: Request, filters: dict[str, str]) -> object:
        # A deferred join: page 50 skips 980 salons in the (name, id) index alone, then reads
        # its 20 rows. Reading the skipped rows too cost 4000 buffers at 10000 salons (bench
        # README, "Query plans").
        return paginated_response(
            request=request,
            view=self,
            queryset=salon_list(**filters).values_list("id", flat=True),
            serializer_class=self.OutputSerializer,
            load=lambda ids: salons_in_order(ids=ids),
        ).data


class ServiceOutputSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField()
    description = serializers.CharField()
    duration_minutes = serializers.IntegerField()
    buffer_after_minutes = serializers.IntegerField()
    price = serializers.DecimalField(max_digits=10, decimal_places=2)
    currency = serializers.CharField()


class StaffOutputSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField(source="display_name")
    service_ids = serializers.ListField(child=serializers.UUIDField())


class OpeningHoursOutputSerializer(serializers.Serializer):
    """One opening interval; a day may have several, a day without any is closed."""

    weekday = serializers.IntegerField(min_value=0, max_value=6, help_text="Monday = 0")
    opens = ClockTimeField(help_text="Wall-clock time in the salon's time zone.")
    closes = ClockTimeField(help_text="Wall-clock time in the salon's time zone.")


class ClosureOutputSerializer(serializers.Serializer):
    start_date = serializers.DateField()
    end_date = serializers.DateField(help_text="Inclusive.")
    reason = serializers.CharField()


class BookingPolicyOutputSerializer(serializers.Serializer):
    min_notice_minutes = serializers.IntegerField(
        min_value=0, help_text="How long before its start a time can still be booked."
    )
    horizon_days = serializers.IntegerField(min_value=1, help_text="How far ahead one can book.")
    cancellation_cutoff_minutes = serializers.IntegerField(
        min_value=0,
        help_text="Until how long before the start customers may cancel or reschedule online.",
    )


class SalonFieldsSerializer(serializers.Serializer):
    """What everyone may see of a salon; the detail page and the owners' view extend it."""

    id = serializers.UUIDField()
    name = serializers.CharField()
    slug = serializers.CharField()
    description = serializers.CharField()
    phone = serializers.CharField()
    timezone = serializers.CharField()


class SalonDetailApi(PublicApi):
    # Keyed by the salon's schedule version: every change to the salon, its policy, hours,
    # closures, services or staff bumps it; bookings do not.
    response_cache_version_key = staticmethod(schedule_version_key)

    class OutputSerializer(SalonFieldsSerializer):
        address = AddressOutputSerializer()
        services = ServiceOutputSerializer(many=True)
        staff = StaffOutputSerializer(many=True)
        opening_hours = OpeningHoursOutputSerializer(many=True)
        closures = ClosureOutputSerializer(
            many=True,
            help_text="Closures not over yet that begin within the coming weeks, soonest first.",
        )
        policy = BookingPolicyOutputSerializer(source="*")

    @extend_schema(responses=OutputSerializer)
    def get(self, request: Request, salon_id: UUID) -> HttpResponse:
        return cached_json(
            request=request,
            version_key=schedule_version_key(salon_id),
            build=lambda: self._page(salon_id),
        )

    def _page(self, salon_id: UUID) -> tuple[object, float]:
        now = timezone.now()
        page = salon_get(salon_id=salon_id, now=now)
        # Never past the salon's midnight: the closures listed are those of its today.
        seconds = salon_page_seconds_valid(salon=page.salon, now=now)
        data = self.OutputSerializer(page).data
        return data, min(settings.SALON_PAGE_CACHE_SECONDS, seconds)
