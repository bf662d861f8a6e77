"""The people of the fake Leerlingen data: random primitives, addresses, contacts, relations.

:class:`PeopleGenerator` draws everything from one ``random.Random``; the institute generator
(:mod:`._data_generate`) builds on it. The order of the draws is the data: changing it changes
every generated record of a seed.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from typing import Any, TypeVar

from . import _vocab
from ._data_numbers import make_iban, make_insz
from ._util import format_date

_T = TypeVar("_T")

#: Relationship types of ``GET /students`` (``type`` is a string there) with their sex.
_RELATION_SEX = {
    "Vader": "M",
    "Moeder": "V",
    "Plusvader": "M",
    "Plusmoeder": "V",
    "Voogd": "M",
    "Grootmoeder": "V",
    "Grootvader": "M",
}

#: NIS country codes used for nationalities (``00`` + NIS code).
#: Foreign NIS country codes with their country and a city of birth.
FOREIGN_COUNTRIES = {
    "00129": ("Nederland", "ROTTERDAM"),
    "00111": ("Frankrijk", "LILLE"),
    "00103": ("Duitsland", "AKEN"),
    "00139": ("Polen", "KRAKAU"),
    "00124": ("Roemenië", "BOEKAREST"),
    "00262": ("Turkije", "ANKARA"),
    "00354": ("Marokko", "TANGER"),
    "00128": ("Italië", "NAPELS"),
}
FOREIGN = tuple(FOREIGN_COUNTRIES)
NATIONALITIES = ("00150",) * 17 + FOREIGN


class PeopleGenerator:
    """Random primitives and the people of one institute's data, drawn from ``rng``."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.random = rng.random
        self.next_person = self.randrange(10_000, 90_000)
        self.next_address = self.randrange(50_000, 90_000)
        self.next_relation = self.randrange(20_000, 80_000)
        self.next_comnr = self.randrange(100_000, 200_000)
        self.next_email = self.randrange(20_000, 60_000)

    # -- small helpers (faster than ``Random.randrange``/``choice``, which dominate otherwise)

    def randrange(self, start: int, stop: int | None = None) -> int:
        """Like ``Random.randrange(start, stop)`` (step 1), built on ``random()``."""
        if stop is None:
            start, stop = 0, start
        return start + int(self.random() * (stop - start))

    def choice(self, items: Sequence[_T]) -> _T:
        """Like ``Random.choice``, built on ``random()``."""
        return items[int(self.random() * len(items))]

    def guid(self) -> str:
        """A random GUID in canonical form."""
        value = self.rng.getrandbits(128)
        value = (value & ~(0xF000 << 64)) | (0x4000 << 64)  # version 4
        value = (value & ~(0xC000 << 48)) | (0x8000 << 48)  # RFC 4122 variant
        text = f"{value:032x}"
        return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"

    def styled(self, canonical: str) -> str:
        """A GUID as Informat sends it: mostly lower case, sometimes upper/mixed/braced."""
        roll = self.rng.random()
        if roll < 0.80:
            return canonical
        if roll < 0.88:
            return canonical.upper()
        if roll < 0.94:
            return "".join(ch.upper() if self.random() < 0.5 else ch for ch in canonical)
        inner = canonical.upper() if roll < 0.97 else canonical
        return "{" + inner + "}"

    def date(self, day: dt.date) -> str:
        """A date, mostly as ``yyyy-MM-ddT00:00:00``, sometimes as ``yyyy-MM-dd``."""
        return format_date(day, 0 if self.rng.random() < 0.85 else 1)

    def birth_date(self, year: int) -> dt.date:
        return dt.date(year, 1, 1) + dt.timedelta(days=self.randrange(365))

    def phone(self, mobile: bool) -> str:
        prefix = f"04{self.randrange(70, 100)}" if mobile else f"0{self.randrange(10, 90)}"
        digits = f"{self.randrange(1_000_000):06d}"
        return f"{prefix} {digits[:2]} {digits[2:4]} {digits[4:]}"

    def insz(self, birth: dt.date, male: bool, bis_offset: int = 0) -> str:
        sequence = self.randrange(1, 499) * 2 - (1 if male else 0)
        return make_insz(birth, sequence, bis_offset)

    def address(
        self, title: str, addressee: str, place: tuple[str, str] | None = None
    ) -> dict[str, Any]:
        postcode, town = place or self.choice(_vocab.PLACES)
        self.next_address += self.randrange(1, 40)
        return {
            "pAdres": self.next_address,
            "adresId": self.styled(self.guid()),
            "aanspreekTitel": title,
            "aanspreekNaam": addressee,
            "straat": self.choice(_vocab.STREETS),
            "nr": str(self.randrange(1, 250)) + ("" if self.random() < 0.9 else self.choice("ABC")),
            "bus": "" if self.random() < 0.8 else str(self.randrange(1, 20)),
            "postcode": postcode,
            "gemeente": town,
            "landcode": "00150",
            "isFacturatie": True,
            "isAanschrijf": True,
            "isVerblijf": True,
            "isOverige": False,
            "percentage": 100,
        }

    def comnr(self, number: str, kind: str, sort: str) -> dict[str, Any]:
        self.next_comnr += self.randrange(1, 50)
        return {"pComnr": self.next_comnr, "nr": number, "type": kind, "soort": sort}

    def email(self, address: str, kind: str, schoolcom: bool, invoices: bool) -> dict[str, Any]:
        self.next_email += self.randrange(1, 50)
        return {
            "pEmail": self.next_email,
            "email": address,
            "type": kind,
            "schoolcom": schoolcom,
            "factuurMailen": invoices,
        }

    @staticmethod
    def mail_name(first: str, last: str) -> str:
        text = f"{first}.{last}".replace(" ", "").replace("'", "")
        return text.translate(str.maketrans("ëéèêïöüç", "eeeeiouc")).translate(
            str.maketrans("ËÉ", "EE")
        )

    # -- relations, phones and bank accounts of a student

    def _relations(
        self, last: str, addressee: str, domicile: dict[str, Any], birth: dt.date
    ) -> list[dict[str, Any]]:
        roll = self.random()
        if roll < 0.70:
            kinds = ["Vader", "Moeder"]
        elif roll < 0.85:
            kinds = ["Moeder"]
        elif roll < 0.90:
            kinds = ["Vader"]
        elif roll < 0.96:
            kinds = ["Moeder", "Plusvader"]
        else:
            kinds = [self.choice(("Voogd", "Grootmoeder"))]
        separated = len(kinds) == 2 and self.random() < 0.2
        result = []
        for lpv, kind in enumerate(kinds, start=1):
            male = _RELATION_SEX[kind] == "M"
            first = self.choice(_vocab.BOYS if male else _vocab.GIRLS)
            name = last if kind in ("Vader", "Voogd") else self.choice(_vocab.LAST_NAMES)
            age = 60 if kind.startswith("Groot") else self.randrange(24, 45)
            born = self.birth_date(birth.year - age)
            title = f"Aan de {kind.lower()} van"
            if separated and lpv == 2:
                address = self.address(title, addressee)
            else:
                address = {**domicile, "aanspreekTitel": title}
            self.next_relation += self.randrange(1, 10)
            mail = self.mail_name(first, name)
            result.append(
                {
                    "pRelatie": self.next_relation,
                    "relatieId": self.styled(self.guid()),
                    "type": kind,
                    "naam": name,
                    "voornaam": first,
                    "insz": self.insz(born, male) if self.random() < 0.6 else None,
                    "geboortedatum": self.date(born) if self.random() < 0.95 else None,
                    "geslacht": _RELATION_SEX[kind],
                    "nationaliteitCode": self.choice(NATIONALITIES),
                    "beroep": self.choice(_vocab.PROFESSIONS),
                    "burgerlijkeStand": (
                        "Gescheiden" if separated else self.choice(_vocab.CIVIL_STATES)
                    ),
                    "lpv": lpv if lpv <= 2 else 0,
                    "ophalen": self.random() < 0.3,
                    "isOverleden": self.random() < 0.01,
                    "adressen": [address],
                    "comnrs": [self.comnr(self.phone(True), kind, "Gsm")],
                    "emails": [
                        self.email(
                            f"{mail}@{self.choice(('telenet.be', 'gmail.com', 'skynet.be'))}",
                            kind,
                            True,
                            self.random() < 0.5,
                        )
                    ],
                }
            )
        return result

    def _student_phones(self, relations: list[dict[str, Any]]) -> list[dict[str, Any]]:
        phones = []
        if relations:
            phones.append(self.comnr(relations[0]["comnrs"][0]["nr"], "Noodnummer", "Gsm"))
        if self.random() < 0.4:
            phones.append(self.comnr(self.phone(False), "Domicilie", "Telefoon"))
        if self.random() < 0.5:
            phones.append(self.comnr(self.phone(True), "Eigen", "Gsm"))
        return phones

    def _bank_accounts(self) -> list[dict[str, Any]] | None:
        roll = self.random()
        if roll < 0.1:
            return None
        if roll < 0.35:
            return []
        bank, bic = self.choice(_vocab.BIC_BY_BANK)
        return [
            {
                "type": self.choice((2, 2, 2, 3, 4, 1)),
                "iban": make_iban(bank, self.randrange(10_000_000)),
                "bic": bic,
            }
        ]
