"""simplejwt's authentication, noting who the request is for so its log lines say so."""

from __future__ import annotations

from typing import Any

from drf_spectacular.contrib.rest_framework_simplejwt import SimpleJWTScheme
from rest_framework.request import Request
from rest_framework_simplejwt import authentication

from booking.core.logging import user_id_var


class JWTAuthentication(authentication.JWTAuthentication):
    def authenticate(self, request: Request) -> Any:
        result = super().authenticate(request)
        if result is not None:
            user_id_var.set(str(result[0].pk))
        return result


class JWTAuthenticationScheme(SimpleJWTScheme):
    """The OpenAPI security scheme stays simplejwt's bearer token."""

    target_class = "booking.accounts.authentication.JWTAuthentication"
