"""Made-up people for the demo and the benchmark: names, birth dates, valid
citizen ID numbers (GB 11643) and unique mobile numbers, all drawn from one
seeded random generator so that every run makes the same people."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from xieshang.councils.demo import tables

# GB 11643-1999: weights of the first 17 digits, and the check character for
# each remainder of the weighted sum modulo 11.
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"


def id_check_character(first17: str) -> str:
    """The 18th character of a citizen ID number whose first 17 digits are first17."""
    total = sum(int(digit) * weight for digit, weight in zip(first17, ID_WEIGHTS, strict=True))
    return ID_CHECK[total % 11]


def make_id_number(*, address_code: str, birth_date: dt.date, sequence: int, is_male: bool) -> str:
    """A well-formed 18-character ID number. The sequence's last digit is odd
    for men and even for women, as the standard says."""
    sequence = sequence % 500 * 2 + (1 if is_male else 0)
    first17 = f"{address_code}{birth_date:%Y%m%d}{sequence:03d}"
    return first17 + id_check_character(first17)


@dataclass(frozen=True)
class Person:
    full_name: str
    is_male: bool
    birth_date: dt.date
    ethnicity: str
    id_number: str
    mobile: str


class PeopleMaker:
    """Draws distinct people; ID numbers and mobiles never repeat within one maker."""

    # Mobile prefixes of the three big carriers.
    MOBILE_PREFIXES = ("135", "136", "137", "138", "139", "150", "151", "158", "187", "188", "133", "189")

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self._ids: set[str] = set()
        self._mobiles: set[str] = set()
        self._names: set[str] = set()

    def full_name(self, is_male: bool) -> str:
        given = tables.GIVEN_MALE if is_male else tables.GIVEN_FEMALE
        for _attempt in range(50):
            name = self.rng.choice(tables.SURNAMES) + self.rng.choice(given)
            if name not in self._names:
                break
            # A second given character makes a repeated name distinct, as people do.
            name = name + self.rng.choice(given)[0] if len(name) < 3 else name
            if name not in self._names:
                break
        self._names.add(name)
        return name

    def mobile(self) -> str:
        while True:
            number = self.rng.choice(self.MOBILE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"
            if number not in self._mobiles:
                self._mobiles.add(number)
                return number

    def person(self, *, address_codes: tuple[str, ...], is_male: bool | None = None) -> Person:
        rng = self.rng
        male = rng.random() < 0.68 if is_male is None else is_male
        birth = dt.date(1958, 1, 1) + dt.timedelta(days=rng.randrange(365 * 32))
        ethnicity = rng.choices([e for e, _ in tables.ETHNICITIES], [w for _, w in tables.ETHNICITIES])[0]
        while True:
            id_number = make_id_number(
                address_code=rng.choice(address_codes),
                birth_date=birth,
                sequence=rng.randrange(500),
                is_male=male,
            )
            if id_number not in self._ids:
                self._ids.add(id_number)
                break
        return Person(
            full_name=self.full_name(male),
            is_male=male,
            birth_date=birth,
            ethnicity=ethnicity,
            id_number=id_number,
            mobile=self.mobile(),
        )

    def employer_title(self, sector: str, place: str) -> str:
        options = tables.EMPLOYERS.get(sector, tables.DEFAULT_EMPLOYERS)
        return (
            self.rng.choice(options)
            .replace("{place}", place)
            .replace("{district}", self.rng.choice(tables.DISTRICTS))
            .replace("{company}", self.rng.choice(tables.COMPANIES))
        )
