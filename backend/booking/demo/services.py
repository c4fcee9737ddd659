"""Deterministic, realistic demo data: salons around the world with services, staff, hours,
customers and appointments (tables.py holds the material, planner.py plans, writer.py writes).

Running it again with the same arguments adds nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from booking.demo.planner import demo_data_plan
from booking.demo.tables import CUSTOMER_EMAIL, DEMO_PASSWORD, OWNER_EMAIL, STAFF_EMAIL
from booking.demo.writer import plan_write, vacuum_loaded
from booking.salons.availability_cache import catalogue_changed
from booking.salons.models import Salon


@dataclass(frozen=True)
class SeedResult:
    created: dict[str, int]
    skipped: bool = False
    logins: tuple[tuple[str, str], ...] = (
        (OWNER_EMAIL, DEMO_PASSWORD),
        (STAFF_EMAIL, DEMO_PASSWORD),
        (CUSTOMER_EMAIL, DEMO_PASSWORD),
    )


def demo_data_seed(
    *, salons: int = 20, seed: int = 1, if_empty: bool = False, today: dt.date | None = None
) -> SeedResult:
    """Plan the data set for (salons, seed) and write what the database lacks, in one
    transaction; with `if_empty`, nothing when any salon exists."""
    if if_empty and Salon.objects.exists():
        return SeedResult(created={}, skipped=True)
    plan = demo_data_plan(salons=salons, seed=seed, today=today or timezone.localdate())
    with transaction.atomic():
        created = plan_write(plan)
        transaction.on_commit(catalogue_changed)  # the rows bypassed the salon services
    vacuum_loaded()
    return SeedResult(created=created)
