from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from booking.demo.services import demo_data_seed


class Command(BaseCommand):
    help = "Load deterministic demo data (salons, staff, hours, customers, appointments)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--salons", type=int, default=20, help="how many salons (default 20)")
        parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
        parser.add_argument(
            "--if-empty", action="store_true", help="do nothing when any salon exists"
        )

    def handle(self, *args: Any, salons: int, seed: int, if_empty: bool, **options: Any) -> None:
        started = time.monotonic()
        result = demo_data_seed(salons=salons, seed=seed, if_empty=if_empty)
        if result.skipped:
            self.stdout.write("Salons exist already; no demo data loaded (--if-empty).")
            return
        counts = ", ".join(f"{n} {name}" for name, n in result.created.items())
        self.stdout.write(f"Created {counts} in {time.monotonic() - started:.1f}s.")
        self.stdout.write("Demo logins:")
        for email, password in result.logins:
            self.stdout.write(f"  {email} / {password}")
