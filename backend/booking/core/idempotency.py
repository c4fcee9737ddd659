"""Idempotency-Key handling for unsafe POSTs that create things.

The key's record is inserted in the same transaction as the work it guards, after it: a request
that is new (nearly all of them) costs one statement, not a lookup and then an insert. A retry
does the work again and meets what the first attempt left: the unique index on the key (which
waits for a first attempt still running), or the work itself refused (the slot it took). Its
transaction is rolled back and the first answer replayed. So the work must keep its effects in
the transaction, or run them on commit. Only successful responses are stored: a failed attempt
leaves nothing behind and may be retried with the same key.

`idempotent_created` is what a create endpoint calls; `idempotent_call` is the mechanism under it.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, IntegrityError, router, transaction
from django.utils import timezone
from rest_framework import status
from rest_framework.exceptions import APIException
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from booking.core import sql
from booking.core.errors import ApplicationError, Unprocessable, ValidationFailed
from booking.core.models import IdempotencyRecord

MAX_KEY_LENGTH = 255
_KEY = re.compile(rf"[!-~]{{1,{MAX_KEY_LENGTH}}}")  # no spaces
REPLAYED_HEADER = "Idempotent-Replayed"
# What a retry needs of the first answer. Every keyed POST (the web app's bookings) reads and
# writes a record: statements built once, not through the ORM, whose query building cost a
# booking's web request a quarter of its CPU.
_RECORD = sql.JoinedSelect(
    IdempotencyRecord, ("request_fingerprint", "response_status", "response_body", "expires_at")
)


@dataclass(frozen=True)
class StoredResponse:
    status: int
    body: Any
    replayed: bool


def idempotent_created(*, request: Request, scope: str, create: Callable[[], Any]) -> Response:
    """201 with the representation `create` returns; with an Idempotency-Key, a retry gets the
    first answer back (marked with the Idempotent-Replayed header) instead of creating again."""
    key = request.headers.get("Idempotency-Key")
    if key is None:
        return Response(create(), status=status.HTTP_201_CREATED)
    stored = idempotent_call(
        user=request.user,
        key=key,
        scope=scope,
        payload=request.data,
        # Stored as the client saw it: rendered JSON (UUIDs, decimals and dates as strings).
        perform=lambda: (status.HTTP_201_CREATED, json.loads(JSONRenderer().render(create()))),
    )
    headers = {REPLAYED_HEADER: "true"} if stored.replayed else {}
    return Response(stored.body, status=stored.status, headers=headers)


def fingerprint(payload: Any) -> str:
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def idempotent_call(
    *,
    user: Any,
    key: str,
    scope: str,
    payload: Any,
    perform: Callable[[], tuple[int, Any]],
) -> StoredResponse:
    if not _KEY.fullmatch(key or ""):
        raise ValidationFailed(
            f"Idempotency-Key must be 1 to {MAX_KEY_LENGTH} printable ASCII characters.",
            code="invalid_idempotency_key",
        )
    request_fingerprint = fingerprint(payload)
    try:
        return _perform_and_keep(user, key, scope, request_fingerprint, perform)
    except _WHAT_A_REPEAT_MEETS:
        first = _kept_record(user=user, key=key, scope=scope)
        if first is None:
            raise  # the work failed on its own: nothing is kept, the key stays free
    if first.expires_at <= timezone.now():
        first.delete()  # an expired key is free again
        return idempotent_call(user=user, key=key, scope=scope, payload=payload, perform=perform)
    return _replay(first, request_fingerprint)


# What a repeat of committed work runs into: the key's unique index, or the work refusing
# itself (the slot is taken, the name exists).
_WHAT_A_REPEAT_MEETS = (IntegrityError, ApplicationError, APIException)


def _perform_and_keep(
    user: Any,
    key: str,
    scope: str,
    request_fingerprint: str,
    perform: Callable[[], tuple[int, Any]],
) -> StoredResponse:
    with transaction.atomic():
        response_status, body = perform()
        kept = IdempotencyRecord(
            user=user,
            key=key,
            scope=scope,
            request_fingerprint=request_fingerprint,
            response_status=response_status,
            response_body=body,
            expires_at=timezone.now() + settings.IDEMPOTENCY_KEY_TTL,
        )
        sql.insert(router.db_for_write(IdempotencyRecord), [kept])
    return StoredResponse(status=response_status, body=body, replayed=False)


def _kept_record(*, user: Any, key: str, scope: str) -> IdempotencyRecord | None:
    # Always the primary: a lagging replica would miss a key committed a moment ago.
    alias = DEFAULT_DB_ALIAS
    params = [
        sql.prepared(alias, IdempotencyRecord, "user", user.pk),
        sql.prepared(alias, IdempotencyRecord, "scope", scope),
        sql.prepared(alias, IdempotencyRecord, "key", key),
    ]
    found = _RECORD.load(alias, _RECORD.where(alias, "user", "scope", "key"), params)
    return found[0] if found else None


def _replay(record: IdempotencyRecord, request_fingerprint: str) -> StoredResponse:
    if record.request_fingerprint != request_fingerprint:
        raise Unprocessable(
            "This Idempotency-Key was already used with a different request body.",
            code="idempotency_key_mismatch",
        )
    return StoredResponse(status=record.response_status, body=record.response_body, replayed=True)


def purge_expired_idempotency_records() -> int:
    deleted, _ = IdempotencyRecord.objects.filter(expires_at__lte=timezone.now()).delete()
    return deleted
