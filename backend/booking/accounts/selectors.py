from __future__ import annotations

import functools
from typing import Any

from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.db import router

from booking.accounts.models import User
from booking.core import sql

_USER = sql.JoinedSelect(User, ("*",))


def user_get_by_id(*, user_id: Any) -> User | None:
    """The whole user row, or None: what authenticating every API request reads (a statement
    built once, not through the ORM)."""
    alias = router.db_for_read(User)
    try:
        value = sql.prepared(alias, User, "id", user_id)
    except ValidationError:  # a token's id that is no UUID finds no user
        return None
    found = _USER.load(alias, _USER.where(alias, "id"), [value])
    return found[0] if found else None


def user_email_verified(*, user: User) -> bool:
    """Whether the user proved they read mail at their current address (every booking with
    reminders asks: a statement built once, not through the ORM)."""
    alias = router.db_for_read(EmailAddress)
    same_email, email = sql.iexact(alias, EmailAddress, "email", user.email)
    params = [
        sql.prepared(alias, EmailAddress, "user", user.pk),
        sql.prepared(alias, EmailAddress, "verified", True),
        email,
    ]
    return bool(sql.fetch(alias, _verified_sql(alias, same_email), params))


@functools.cache
def _verified_sql(alias: str, same_email: str) -> str:
    def col(name: str) -> str:
        return sql.column(alias, EmailAddress, name)

    return (
        f"SELECT 1 FROM {sql.table(alias, EmailAddress)} WHERE {col('user')} = %s "  # noqa: S608
        f"AND {col('verified')} = %s AND {same_email} LIMIT 1"
    )
