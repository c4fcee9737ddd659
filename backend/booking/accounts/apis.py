from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import BaseThrottle
from rest_framework.views import APIView
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.tokens import RefreshToken
from rest_framework_simplejwt.views import TokenObtainPairView, TokenRefreshView

from booking.accounts.services import user_register, user_update_profile
from booking.core.errors import ValidationFailed
from booking.core.schema import PasswordField, PhoneField
from booking.core.throttling import SlidingWindowThrottle


class UserOutputSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    email = serializers.EmailField()
    first_name = serializers.CharField()
    last_name = serializers.CharField()
    phone = serializers.CharField()
    notify_by_email = serializers.BooleanField()
    notify_by_sms = serializers.BooleanField()
    language = serializers.CharField()


class AuthThrottled:
    throttle_classes: Sequence[type[BaseThrottle]] = [SlidingWindowThrottle]
    throttle_scope = "auth"


class RegisterApi(AuthThrottled, APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []

    class InputSerializer(serializers.Serializer):
        email = serializers.EmailField()
        password = PasswordField()
        first_name = serializers.CharField(max_length=150)
        last_name = serializers.CharField(max_length=150)
        phone = PhoneField(max_length=16, required=False, allow_blank=True)

    class OutputSerializer(serializers.Serializer):
        detail = serializers.CharField()

    @extend_schema(request=InputSerializer, responses={202: OutputSerializer})
    def post(self, request: Request) -> Response:
        """The same answer for a new and a known address; the e-mail says which it was."""
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user_register(**serializer.validated_data)
        detail = "Check your e-mail: we sent a link to verify the address."
        return Response({"detail": detail}, status=status.HTTP_202_ACCEPTED)


class TokenObtainApi(AuthThrottled, TokenObtainPairView):
    """Email + password → access and refresh tokens."""


class TokenRefreshApi(AuthThrottled, TokenRefreshView):
    """Refresh tokens rotate: the one presented is blacklisted and a new one returned."""


class LogoutApi(APIView):
    class InputSerializer(serializers.Serializer):
        refresh = serializers.CharField()

    @extend_schema(request=InputSerializer, responses={204: None})
    def post(self, request: Request) -> Response:
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            token = RefreshToken(serializer.validated_data["refresh"])
            if str(token["user_id"]) != str(request.user.pk):
                raise TokenError("token belongs to another user")
            token.blacklist()
        except TokenError as exc:
            raise ValidationFailed(
                "The refresh token is invalid or already used.", code="invalid_token"
            ) from exc
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeApi(APIView):
    class InputSerializer(serializers.Serializer):
        first_name = serializers.CharField(max_length=150, required=False)
        last_name = serializers.CharField(max_length=150, required=False)
        phone = PhoneField(max_length=16, required=False, allow_blank=True)
        notify_by_email = serializers.BooleanField(required=False)
        notify_by_sms = serializers.BooleanField(required=False)
        language = serializers.ChoiceField(choices=settings.LANGUAGES, required=False)

    @extend_schema(responses=UserOutputSerializer)
    def get(self, request: Request) -> Response:
        return Response(UserOutputSerializer(request.user).data)

    @extend_schema(request=InputSerializer, responses=UserOutputSerializer)
    def patch(self, request: Request) -> Response:
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = user_update_profile(user=request.user, **serializer.validated_data)  # type: ignore[arg-type]
        return Response(UserOutputSerializer(user).data)
