"""The demo data's raw material: cities, names, services and weekly patterns, and the demo logins.

Plain data: the planner draws from these tables with a seeded random generator.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from datetime import time
from decimal import Decimal

DEMO_PASSWORD = "demo-password-123"
OWNER_EMAIL = "owner@example.com"
STAFF_EMAIL = "staff@example.com"
CUSTOMER_EMAIL = "customer@example.com"


@dataclass(frozen=True)
class City:
    name: str
    region: str
    country: str
    timezone: str
    currency: str
    price_factor: Decimal  # local price of one euro's worth of service, roughly
    streets: tuple[str, ...]
    postcodes: tuple[str, ...]
    latitude: Decimal
    longitude: Decimal


CITIES = (
    City(
        "Berlin",
        "Berlin",
        "DE",
        "Europe/Berlin",
        "EUR",
        Decimal(1),
        ("Torstraße", "Kastanienallee", "Bergmannstraße", "Oranienstraße"),
        ("10119", "10435", "10961", "10999"),
        Decimal("52.520008"),
        Decimal("13.404954"),
    ),
    City(
        "Munich",
        "Bavaria",
        "DE",
        "Europe/Berlin",
        "EUR",
        Decimal("1.1"),
        ("Leopoldstraße", "Sendlinger Straße", "Gärtnerplatz"),
        ("80802", "80331", "80469"),
        Decimal("48.135124"),
        Decimal("11.581981"),
    ),
    City(
        "London",
        "Greater London",
        "GB",
        "Europe/London",
        "GBP",
        Decimal("0.95"),
        ("Camden High Street", "Brick Lane", "King's Road", "Upper Street"),
        ("NW1 7JE", "E1 6QL", "SW3 4UD", "N1 0PN"),
        Decimal("51.507351"),
        Decimal("-0.127758"),
    ),
    City(
        "Manchester",
        "Greater Manchester",
        "GB",
        "Europe/London",
        "GBP",
        Decimal("0.8"),
        ("Oldham Street", "Deansgate"),
        ("M1 1JQ", "M3 4LY"),
        Decimal("53.480759"),
        Decimal("-2.242631"),
    ),
    City(
        "New York",
        "NY",
        "US",
        "America/New_York",
        "USD",
        Decimal("1.4"),
        ("Bedford Avenue", "Bleecker Street", "Atlantic Avenue", "Amsterdam Avenue"),
        ("11211", "10014", "11217", "10024"),
        Decimal("40.712776"),
        Decimal("-74.005974"),
    ),
    City(
        "Boston",
        "MA",
        "US",
        "America/New_York",
        "USD",
        Decimal("1.3"),
        ("Newbury Street", "Hanover Street"),
        ("02116", "02113"),
        Decimal("42.360081"),
        Decimal("-71.058884"),
    ),
    City(
        "Los Angeles",
        "CA",
        "US",
        "America/Los_Angeles",
        "USD",
        Decimal("1.4"),
        ("Sunset Boulevard", "Abbot Kinney Boulevard", "Melrose Avenue"),
        ("90026", "90291", "90046"),
        Decimal("34.052235"),
        Decimal("-118.243683"),
    ),
    City(
        "San Francisco",
        "CA",
        "US",
        "America/Los_Angeles",
        "USD",
        Decimal("1.5"),
        ("Valencia Street", "Hayes Street"),
        ("94110", "94102"),
        Decimal("37.774929"),
        Decimal("-122.419418"),
    ),
    City(
        "Tokyo",
        "Tokyo",
        "JP",
        "Asia/Tokyo",
        "JPY",
        Decimal(150),
        ("Omotesando", "Shimokitazawa", "Nakameguro"),
        ("150-0001", "155-0031", "153-0061"),
        Decimal("35.676192"),
        Decimal("139.650311"),
    ),
    City(
        "Osaka",
        "Osaka",
        "JP",
        "Asia/Tokyo",
        "JPY",
        Decimal(130),
        ("Shinsaibashi", "Horie"),
        ("542-0085", "550-0014"),
        Decimal("34.693737"),
        Decimal("135.502167"),
    ),
    City(
        "Sydney",
        "NSW",
        "AU",
        "Australia/Sydney",
        "AUD",
        Decimal("1.7"),
        ("Oxford Street", "King Street", "Crown Street"),
        ("2010", "2042", "2010"),
        Decimal("-33.868820"),
        Decimal("151.209290"),
    ),
)
SALON_WORDS = ("Studio", "Salon", "Atelier", "House", "Barbers", "Hair Lab", "Cuts", "Room")
SALON_NAMES = (
    "Lumen",
    "Golden Scissors",
    "Fern",
    "Mane Street",
    "Bloom",
    "North",
    "Indigo",
    "Copper",
    "Velvet",
    "Maple",
    "Juniper",
    "Atlas",
    "Sage",
    "Cobalt",
    "Willow",
)
FIRST_NAMES = (
    "Anna",
    "Ben",
    "Chloé",
    "David",
    "Elif",
    "Finn",
    "Grace",
    "Hiro",
    "Isla",
    "Jonas",
    "Kemi",
    "Leon",
    "Maya",
    "Noah",
    "Olivia",
    "Pablo",
    "Quinn",
    "Rosa",
    "Sam",
    "Tara",
    "Umar",
    "Vera",
    "Will",
    "Yuki",
    "Zoe",
    "Aiko",
    "Liam",
    "Mia",
    "Ravi",
    "Sofia",
)
LAST_NAMES = (
    "Schmidt",
    "Smith",
    "Tanaka",
    "Garcia",
    "Müller",
    "Brown",
    "Kim",
    "Rossi",
    "Nguyen",
    "Walker",
    "Sato",
    "Novak",
    "Khan",
    "Fischer",
    "Murphy",
    "Silva",
)
# (name, minutes, buffer, price in EUR)
SERVICES = (
    ("Women's haircut", 60, 10, Decimal(55)),
    ("Men's haircut", 30, 5, Decimal(28)),
    ("Beard trim", 15, 0, Decimal(15)),
    ("Full colour", 120, 15, Decimal(95)),
    ("Highlights", 90, 15, Decimal(85)),
    ("Blow-dry", 45, 0, Decimal(35)),
    ("Kids' haircut", 30, 0, Decimal(18)),
    ("Manicure", 45, 10, Decimal(30)),
)

# Weekly patterns: weekday -> list of (opens, closes); Sunday (6) is always closed.
WEEKS: tuple[dict[int, list[tuple[dt.time, dt.time]]], ...] = (
    {**{day: [(time(9), time(18))] for day in range(5)}, 5: [(time(10), time(16))]},
    {
        **{day: [(time(9), time(12, 30)), (time(13, 30), time(18))] for day in range(1, 5)},
        5: [(time(9), time(14))],
    },
    {**{day: [(time(10), time(19))] for day in range(6)}, 3: [(time(10), time(20))]},
    {
        **{day: [(time(8, 30), time(12, 30)), (time(14), time(18, 30))] for day in range(5)},
        5: [(time(9), time(13))],
    },
)
