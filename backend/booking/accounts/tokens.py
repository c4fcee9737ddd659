"""allauth's "app" client hands out simplejwt tokens, so one token family serves every API.

Signing in through allauth returns a simplejwt access/refresh pair whose claims carry the
allauth session (encrypted, as allauth's own JWT strategy does). That access token works on
/api/v1/* like one from /api/v1/auth/token, and on allauth's account endpoints, which need the
session (reauthentication, change password or e-mail). A token from /api/v1/auth/token has no
session: allauth's endpoints answer it as signed out. Refreshing rotates and blacklists the
presented token through simplejwt, whichever endpoint is used, and stops once the session ended.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from allauth.headless.tokens.strategies.jwt.internal import (
    session_key_from_sid,
    session_key_to_sid,
)
from allauth.headless.tokens.strategies.sessions import SessionTokenStrategy
from django.conf import settings
from django.http import HttpRequest
from rest_framework.exceptions import ValidationError
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.serializers import TokenRefreshSerializer
from rest_framework_simplejwt.tokens import AccessToken, RefreshToken

SESSION_CLAIM = "sid"


class SimpleJWTTokenStrategy(SessionTokenStrategy):
    def create_access_token_payload(self, request: HttpRequest) -> dict[str, Any] | None:
        user = request.user
        if not user.is_authenticated:
            return None
        refresh = RefreshToken.for_user(user)  # type: ignore[arg-type]
        refresh[SESSION_CLAIM] = session_key_to_sid(self.create_session_token(request))
        lifetime: timedelta = settings.SIMPLE_JWT["ACCESS_TOKEN_LIFETIME"]  # type: ignore[assignment]
        return {
            "access_token": str(refresh.access_token),
            "refresh_token": str(refresh),
            "expires_in": int(lifetime.total_seconds()),
        }

    def get_session_token(self, request: HttpRequest) -> str | None:
        token = super().get_session_token(request)
        if token:
            return token
        return session_key_of_bearer(request.headers.get("Authorization", ""))

    def refresh_token(self, refresh_token: str) -> tuple[str, str] | None:
        serializer = TokenRefreshSerializer(data={"refresh": refresh_token})
        try:
            serializer.is_valid(raise_exception=True)
        except (TokenError, ValidationError):
            return None
        data = serializer.validated_data
        return data["access"], data.get("refresh", refresh_token)


def session_key_of_bearer(header: str) -> str | None:
    """The allauth session a simplejwt bearer token was issued for, if any."""
    scheme, _, raw = header.partition(" ")
    if scheme.lower() != "bearer" or not raw:
        return None
    try:
        sid = AccessToken(raw.strip()).get(SESSION_CLAIM)  # type: ignore[arg-type]
    except TokenError:
        return None
    return session_key_from_sid(sid) if isinstance(sid, str) else None
