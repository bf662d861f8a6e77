"""Generation of one institute's Leerlingen data: classes, students, registrations, history.

:class:`InstituteGenerator` builds an :class:`~._data_store.InstituteData` from
``random.Random(f"{seed}:{number}")`` only, on top of the people of :mod:`._data_people`.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from . import _vocab
from ._data_people import FOREIGN, FOREIGN_COUNTRIES, NATIONALITIES, PeopleGenerator
from ._data_store import InstituteData, PhotoStore, PreRegistration
from ._util import normalize_guid, school_year_bounds


class InstituteGenerator(PeopleGenerator):
    """Builds one institute's data from ``random.Random(f"{seed}:{number}")``."""

    def __init__(self, number: str, school_year: str, seed: int, photo_size: int | None) -> None:
        self.number = number
        self.school_year = school_year
        self.start, self.end = school_year_bounds(school_year)
        super().__init__(random.Random(f"{seed}:{number}"))
        self.photo_size = photo_size
        self.next_registration = self.randrange(100_000, 200_000)
        self.next_class_registration = self.randrange(300_000, 400_000)
        self.secondary = self.random() < 0.6
        self.structure = "311" if self.secondary else "211"
        prefix = self.choice(_vocab.SCHOOL_PREFIXES)
        self.place = self.choice(_vocab.PLACES)
        self.name = f"{prefix} {self.place[1].title()}"
        self.domain = "".join(ch for ch in prefix.lower() if ch.isalpha())[:14] + ".be"
        self.locations = [
            (f"vest{i + 1}", f"{self.choice(_vocab.STREETS)} {self.randrange(1, 120)}")
            for i in range(self.choice((1, 1, 2)))
        ]
        self.classes = self._classes()

    def changed(self) -> dt.datetime:
        """A change time before the school year starts (spring and summer)."""
        offset = self.randrange(1, 120 * 86_400)
        return dt.datetime.combine(self.start, dt.time()) - dt.timedelta(seconds=offset)

    # -- classes

    def _classes(self) -> dict[int, list[dict[str, Any]]]:
        """Main classes per grade, with their teachers; plus sub classes and OLOD groups."""
        result: dict[int, list[dict[str, Any]]] = {}
        next_class = self.randrange(20_000, 30_000)
        for grade in range(1, 7):
            groups = []
            for letter in "ABC"[: self.choice((1, 2, 2, 3))]:
                next_class += self.randrange(1, 30)
                code = f"{grade}{letter}"
                groups.append(self._group(code, f"{code} {self.number[-2:]}", 0, next_class))
            for index, label in enumerate(("Latijn", "Remediëring") if self.secondary else ()):
                next_class += self.randrange(1, 30)
                code = f"{grade}{label[:3].upper()}"
                groups.append(self._group(code, f"{grade} {label}", 1, next_class + index))
            if self.secondary and grade >= 3:
                next_class += self.randrange(1, 30)
                name = f"OLOD Wiskunde {grade}"
                groups.append(self._group(f"OLOD{grade}", name, 3, next_class))
            result[grade] = groups
        return result

    def _group(self, code: str, name: str, group_type: int, p_klas: int) -> dict[str, Any]:
        teachers = []
        for _ in range(1 if self.random() < 0.7 else 2):
            male = self.random() < 0.4
            teachers.append(
                {
                    "persoonId": self.styled(self.guid()),
                    "naam": self.choice(_vocab.LAST_NAMES),
                    "voornaam": self.choice(_vocab.BOYS if male else _vocab.GIRLS),
                }
            )
        return {
            "klasId": self.styled(self.guid()),
            "pKlas": p_klas,
            "klasCode": code,
            "klas": name,
            "groepType": group_type,
            "klassenleraars": teachers,
            "count": 0,
        }

    # -- the institute

    def institute(self, count: int) -> InstituteData:
        institute = InstituteData(
            number=self.number,
            school_year=self.school_year,
            name=self.name,
            photos=PhotoStore(self.photo_size),
            location_ids=frozenset(f"{i + 1:03d}" for i in range(len(self.locations))),
        )
        for _ in range(count):
            self._student(institute)
        return institute

    def _student(self, institute: InstituteData) -> None:
        male = self.random() < 0.5
        given_names = _vocab.BOYS if male else _vocab.GIRLS
        first = self.choice(given_names)
        last = self.choice(_vocab.LAST_NAMES)
        grade = self.randrange(1, 7)
        offset = (11 if self.secondary else 5) + grade + (1 if self.random() < 0.12 else 0)
        birth = self.birth_date(self.start.year - offset)
        foreign = self.random() < 0.06
        if foreign:
            national, bis = None, self.insz(birth, male, 40 if self.random() < 0.7 else 20)
            nationality = self.choice(FOREIGN)
        else:
            national, bis = self.insz(birth, male), None
            nationality = self.choice(NATIONALITIES)
        home = self.choice(_vocab.PLACES) if self.random() < 0.5 else self.place
        student_id = self.guid()
        registration_id = self.guid()
        self.next_person += self.randrange(1, 25)
        p_persoon = self.next_person
        addressee = f"{last} {first}"
        domicile = self.address("Aan de ouders van", addressee, home)
        relations = self._relations(last, addressee, domicile, birth)
        number = len(institute.students) + 1
        status = 0 if self.random() < 0.92 else self.choice((1, 2, 3, 4))
        student: dict[str, Any] = {
            "pPersoon": p_persoon,
            "persoonId": self.styled(student_id),
            "naam": last,
            "voornaam": first,
            "geboortedatum": self.date(birth),
            "nickname": "" if self.random() < 0.9 else first[:3],
            "voornaam2": "" if self.random() < 0.7 else self.choice(given_names),
            "initialen": "" if self.random() < 0.6 else f"{first[0]}.{last[0]}.",
            "geboorteland": FOREIGN_COUNTRIES[nationality][0] if foreign else "België",
            "geboorteplaats": FOREIGN_COUNTRIES[nationality][1] if foreign else home[1],
            "nationaliteitCode": nationality,
            "rijksregisternr": national,
            "bisnr": bis,
            "geslacht": "M" if male else "V",
            "huisdokter": f"Dr. {self.choice(_vocab.LAST_NAMES)}" if self.random() < 0.8 else "",
            "telefoonHuisdokter": self.phone(False) if self.random() < 0.5 else "",
            "llOpSchool": 0,
            "inschrijvingsId": self.styled(registration_id) if status == 0 else None,
            "leerlingenkaartNummer": f"LK:{number:03d}",
            "fietsnummer": f"B{number:03d}" if self.random() < 0.7 else "",
            "adressen": [domicile],
            "overigeadressen": (
                [
                    {
                        **self.address("Aan de grootouders van", addressee),
                        "isFacturatie": False,
                        "isVerblijf": False,
                        "percentage": 0,
                    }
                ]
                if self.random() < 0.15
                else []
            ),
            "relaties": relations,
            "comnrs": self._student_phones(relations),
            "emails": [
                self.email(
                    f"{self.mail_name(first, last).lower()}@leerling.{self.domain}",
                    "School",
                    True,
                    False,
                )
            ],
            "bankrek": self._bank_accounts(),
        }
        institute.students[student_id] = student
        institute.student_changed[student_id] = self.changed()
        institute.student_registration[student_id] = registration_id
        registration = self._registration(registration_id, student_id, student, grade, status)
        institute.registrations[registration_id] = registration
        institute.registration_changed[registration_id] = self.changed()
        if self.random() < 0.93:
            institute.photos.add(student_id, self.styled(self.guid()), self.styled(student_id))
        self._history(institute, student_id, student["pPersoon"])
        pre_registration = registration["preRegistrationId"]
        if pre_registration is not None:
            key = normalize_guid(pre_registration) or ""
            institute.preregistrations[key] = PreRegistration(
                body={
                    "preRegistrationId": pre_registration,
                    "lastName": last,
                    "firstName": first,
                    "schoolyear": self.school_year,
                    "institute": self.number,
                    "admgrpId": registration["nrAdmgrp"],
                },
                status="accepted",
                changed=self.changed(),
            )

    def _registration(
        self,
        registration_id: str,
        student_id: str,
        student: dict[str, Any],
        grade: int,
        status: int,
    ) -> dict[str, Any]:
        programmes = _vocab.SECONDARY_PROGRAMMES if self.secondary else _vocab.PRIMARY_PROGRAMMES
        code, year_name, admgrp_base = self.choice(programmes)
        begin = self.start
        end = None if self.random() < 0.85 else self.end
        self.next_registration += self.randrange(1, 40)
        main = self.choice([g for g in self.classes[grade] if g["groepType"] == 0])
        groups = [main]
        extra = [g for g in self.classes[grade] if g["groepType"] != 0]
        if extra and self.random() < 0.3:
            groups.append(self.choice(extra))
        class_registrations = []
        for group in groups:
            group["count"] += 1
            self.next_class_registration += self.randrange(1, 20)
            class_registrations.append(
                {
                    "inschrKlasId": self.styled(self.guid()),
                    "pInschrKlas": self.next_class_registration,
                    "klasId": group["klasId"],
                    "pKlas": group["pKlas"],
                    "klasCode": group["klasCode"],
                    "klas": group["klas"],
                    "groepType": group["groepType"],
                    "klasnummer": group["count"] if group["groepType"] == 0 else 0,
                    "begindatum": self.date(begin),
                    "einddatum": self.date(end) if end else None,
                    "klassenleraars": [dict(t) for t in group["klassenleraars"]],
                }
            )
        return {
            "inschrijvingsId": self.styled(registration_id),
            "pInschr": self.next_registration,
            "pPersoon": student["pPersoon"],
            "persoonId": self.styled(student_id),
            "instelnr": self.number,
            "hfdstructuur": self.structure,
            "school": self.name,
            "stamnr": self._stamnr(),
            "vestCode": (location := self.choice(self.locations))[0],
            "vestiging": location[1],
            "begindatum": self.date(begin),
            "einddatum": self.date(end) if end else None,
            "afdCode": code,
            "nrAdmgrp": f"{admgrp_base}{grade:02d}",
            "afdelingsjaar": year_name.format(n=grade),
            "status": status,
            "graad": str((grade + 1) // 2),
            "leerjaar": grade,
            "taalkeuze": self.choice(_vocab.LANGUAGE_CHOICES) if self.secondary else "",
            "finCode": "02" if self.secondary else "01",
            "levensbeschouwingCode": self.choice(("140", "140", "187", "135", "0000", "225")),
            "isOkan": self.random() < 0.02,
            "preRegistrationId": self.styled(self.guid()) if self.random() < 0.1 else None,
            "inschrKlassen": class_registrations,
        }

    def _stamnr(self) -> str | None:
        """The student's stamnummer: 9 digits, sometimes 8 (as the spec's example), or null."""
        roll = self.random()
        if roll < 0.05:
            return None
        if roll < 0.2:
            return str(self.randrange(10_000_000, 100_000_000))
        return str(self.randrange(100_000_000, 1_000_000_000))

    def _history(self, institute: InstituteData, student_id: str, p_persoon: int) -> None:
        if self.random() > (0.5 if self.secondary else 0.2):
            return
        for back in range(1, self.choice((1, 1, 2)) + 1):
            year = self.start.year - back
            other_school = self.random() < 0.4
            certificates = []
            for _ in range(self.choice((0, 1, 1, 2))):
                name, clause = self.choice(_vocab.CERTIFICATES)
                certificates.append(
                    {
                        "studiebewijs": name,
                        "uitreiking": self.date(dt.date(year + 1, 6, 30)),
                        "clausulering": clause,
                    }
                )
            item = {
                "pPersoon": p_persoon,
                "persoonId": self.styled(student_id),
                "schooljaar": f"{year}-{(year + 1) % 100:02d}",
                "instelnr": f"{self.randrange(10000, 999999):06d}" if other_school else self.number,
                "school": self._school_name() if other_school else self.name,
                "vanDatum": self.date(dt.date(year, 9, 1)),
                "totDatum": self.date(dt.date(year + 1, 6, 30)) if self.random() < 0.9 else None,
                "nrAdmgrp": f"0{self.randrange(30000, 41000):05d}",
                "admgrp": self.choice(_vocab.ADMGRP_NAMES),
                "studiebewijzen": certificates,
            }
            institute.school_history.append(item)
            institute.school_history_sources.append(0 if self.random() < 0.75 else 1)

    def _school_name(self) -> str:
        place = self.choice(_vocab.PLACES)[1].title()
        return f"{self.choice(_vocab.SCHOOL_PREFIXES)} {place}"
