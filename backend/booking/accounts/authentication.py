"""simplejwt's authentication, noting who the request is for: for log lines, and for routing
reads to the primary right after that user wrote (read-your-writes)."""

from __future__ import annotations

import functools
from typing import Any

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.translation import gettext as _
from drf_spectacular.contrib.rest_framework_simplejwt import SimpleJWTScheme
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication as drf_authentication
from rest_framework.request import Request
from rest_framework_simplejwt import authentication
from rest_framework_simplejwt.exceptions import AuthenticationFailed, InvalidToken, TokenError
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.tokens import Token
from rest_framework_simplejwt.utils import aware_utcnow, get_md5_hash_password

from booking.accounts.models import User
from booking.accounts.selectors import user_get_by_id
from booking.core import db_routing
from booking.core.logging import user_id_var


def request_user(request: Request) -> User:
    """The authenticated caller, typed: for views behind IsAuthenticated (the default)."""
    assert isinstance(request.user, User)  # IsAuthenticated ran before the view
    return request.user


def _note_user(request: Request, result: Any) -> Any:
    if result is not None:
        user_id = result[0].pk
        user_id_var.set(str(user_id))
        request._request.authenticated_user_id = user_id  # type: ignore[attr-defined]
        db_routing.bind_user(user_id)
    return result


class JWTAuthentication(authentication.JWTAuthentication):
    def __init__(self) -> None:
        # DRF builds an instance per request; simplejwt's looks the user model up each time.
        self.user_model = User

    def authenticate(self, request: Request) -> Any:
        return _note_user(request, super().authenticate(request))

    def get_validated_token(self, raw_token: bytes) -> Token:
        """simplejwt's validation, once per token and process: a client sends the same access
        token with every request for its lifetime, and decoding and verifying it each time was
        a tenth of a booking's web CPU. The cache is keyed by the whole token, signature
        included, so a token changed in any way is verified afresh; expiry is checked on every
        use; a token that fails is not kept."""
        token = _validated(raw_token)
        try:
            token.check_exp(current_time=aware_utcnow())
        except TokenError:
            return super().get_validated_token(raw_token)  # simplejwt's own answer, a 401
        return token

    def get_user(self, validated_token: Token) -> User:  # type: ignore[override]
        """simplejwt's checks, with the user row read by a statement built once (every API
        request with a token reads it)."""
        if api_settings.USER_ID_CLAIM not in validated_token:
            raise InvalidToken(_("Token contained no recognizable user identification"))
        user = user_get_by_id(user_id=validated_token[api_settings.USER_ID_CLAIM])
        if user is None:
            raise AuthenticationFailed(_("User not found"), code="user_not_found")
        if api_settings.CHECK_USER_IS_ACTIVE and not user.is_active:
            raise AuthenticationFailed(_("User is inactive"), code="user_inactive")
        revoked = api_settings.CHECK_REVOKE_TOKEN and validated_token.get(
            api_settings.REVOKE_TOKEN_CLAIM
        ) != get_md5_hash_password(user.password)
        if revoked:
            raise AuthenticationFailed(
                _("The user's password has been changed."), code="password_changed"
            )
        return user


@functools.lru_cache(maxsize=2048)
def _validated(raw_token: bytes) -> Token:
    return authentication.JWTAuthentication().get_validated_token(raw_token)


@receiver(setting_changed)
def _forget_tokens(*, setting: str, **kwargs: Any) -> None:
    """Tokens verified with the settings of their time (tests change the signing key)."""
    if setting in ("SIMPLE_JWT", "SECRET_KEY"):
        _validated.cache_clear()


class SessionAuthentication(drf_authentication.SessionAuthentication):
    """The session cookie of allauth's "browser" client (and the admin's); CSRF is enforced."""

    def authenticate(self, request: Request) -> Any:
        return _note_user(request, super().authenticate(request))


class JWTAuthenticationScheme(SimpleJWTScheme):
    """The OpenAPI security scheme stays simplejwt's bearer token."""

    target_class = "booking.accounts.authentication.JWTAuthentication"


class SessionAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "booking.accounts.authentication.SessionAuthentication"
    name = "cookieAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {"type": "apiKey", "in": "cookie", "name": "sessionid"}
