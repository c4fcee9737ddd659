"""allauth's "app" client hands out simplejwt tokens, so one token family serves every API.

Signing in through allauth returns a simplejwt access/refresh pair whose claims carry the
allauth session (encrypted, as allauth's own JWT strategy does). That access token works on
/api/v1/* like one from /api/v1/auth/token, and on allauth's account endpoints, which need the
session (reauthentication, change password or e-mail). A token from /api/v1/auth/token has no
session: allauth's endpoints answer it as signed out. Refreshing rotates and blacklists the
presented token through simplejwt, whichever endpoint is used, and stops once that session ended.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from allauth.headless.internal import sessionkit
from allauth.headless.tokens.strategies.jwt.internal import (
    session_key_from_sid,
    session_key_to_sid,
)
from allauth.headless.tokens.strategies.sessions import SessionTokenStrategy
from django.conf import settings
from django.http import HttpRequest
from rest_framework.exceptions import APIException
from rest_framework_simplejwt.exceptions import InvalidToken, TokenError
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
        serializer = SessionBoundRefreshSerializer(data={"refresh": refresh_token})
        try:
            serializer.is_valid(raise_exception=True)
        except (TokenError, APIException):  # invalid, expired, blacklisted, session ended
            return None
        data = serializer.validated_data
        return data["access"], data.get("refresh", refresh_token)


class SessionBoundRefreshSerializer(TokenRefreshSerializer):
    """simplejwt's refresh (rotate, blacklist the old one), refused once the allauth session
    the token was issued for has ended (signed out, or the password changed)."""

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        try:
            sid = RefreshToken(attrs["refresh"]).get(SESSION_CLAIM)  # type: ignore[arg-type]
        except TokenError as exc:
            raise InvalidToken(str(exc)) from exc
        if isinstance(sid, str) and not _session_exists(session_key_from_sid(sid)):
            raise InvalidToken("The session this token was issued for has ended.")
        return super().validate(attrs)


def _session_exists(session_key: str | None) -> bool:
    return bool(session_key) and sessionkit.session_store().exists(session_key)


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
