from __future__ import annotations

import functools
from typing import Any

from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.db import router

from booking.accounts.models import User
from booking.core import sql

_USER = sql.JoinedSelect(User, ("*",))
# Set on a user read by `user_get_by_id`: whether their address was verified at that moment.
_VERIFIED_ON_LOAD = "_email_verified_on_load"


def user_get_by_id(*, user_id: Any) -> User | None:
    """The whole user row, or None: what authenticating every API request reads (a statement
    built once, not through the ORM). It also tells whether the user's current address is
    verified, which a booking asks (`user_email_verified`): one statement where there were two.
    """
    alias = router.db_for_read(User)
    try:
        value = sql.prepared(alias, User, "id", user_id)
    except ValidationError:  # a token's id that is no UUID finds no user
        return None
    verified = sql.prepared(alias, EmailAddress, "verified", True)
    rows = sql.fetch(alias, _user_sql(alias), [verified, value])
    if not rows:
        return None
    [user] = _USER.objects(alias, rows)
    setattr(user, _VERIFIED_ON_LOAD, bool(rows[0][-1]))
    return user


@functools.cache
def _user_sql(alias: str) -> str:
    """`_USER` by id, with a last column: whether a verified address is the user's current one."""

    def col(name: str) -> str:
        return sql.column(alias, EmailAddress, name)

    verified_current = (
        f"EXISTS (SELECT 1 FROM {sql.table(alias, EmailAddress)} WHERE {col('user')} = "  # noqa: S608
        f"{_USER.column(alias, 'id')} AND {col('verified')} = %s AND UPPER({col('email')}) = "
        f"UPPER({_USER.column(alias, 'email')}))"
    )
    return _USER.where(alias, "id", extra=(verified_current,))


def user_email_verified(*, user: User) -> bool:
    """Whether the user proved they read mail at their current address (every booking with
    reminders asks; a user read for authentication knows already)."""
    known: bool | None = getattr(user, _VERIFIED_ON_LOAD, None)
    if known is not None:
        return known
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
