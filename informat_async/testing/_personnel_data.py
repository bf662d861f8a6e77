"""Ground truth of the fake personnel API: wire payloads derived from the legacy staff.

The employees of an institute are exactly the staff of the legacy ``Leerkrachten`` list
(:class:`~._legacy_generate.LegacyInstitute`), with the same ``pPersoon`` (``p_persoon``),
names, ``stamnr``, national register number and IBAN, so a test can join the two APIs.
Assignments, interruptions (with the replacements as ``vervangingen``), diplomas and own
fields come from the legacy lists of the same staff; photos and RL documents are
generated. GUIDs are derived from ``(seed, institute, key)``, so everything is
reproducible like the rest of the fake data.

Some payloads carry the quirks integrations met: ``nickname`` instead of ``nickName`` for
some employees, the string ``"null"`` for a null, unknown fields, an own field's
``waarde`` as a JSON boolean, a blank photo, and ``rl1Ingangsdatum`` only on RL1 rows.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import hashlib
import random
import uuid
from typing import Any

from ._legacy_generate import LegacyInstitute
from ._legacy_values import parse_dmy

__all__ = ["PERSONNEL_KINDS", "PersonnelInstitute", "generate_personnel", "person_guid"]

#: Endpoint kinds of the personnel API (``Faults.endpoints``, the stats; see ``_personnel``).
PERSONNEL_KINDS = frozenset({
    "employees", "employee", "employee_assignments", "employee_interruptions",
    "person_interruptions", "interruption_save", "interruption_delete", "employee_diplomas",
    "person_diplomas", "employee_own_fields", "person_own_fields", "attachment_save",
    "attachment_delete", "employee_photos", "employee_photo", "employee_documents",
    "document_pdf", "signed_document",
})

Payload = dict[str, Any]

_NAMESPACE = uuid.UUID("5b0c7a52-4a44-4f54-9a8f-2f0e3c1d7a11")
#: Interruption codes and their descriptions (a part of the guide's list).
INTERRUPTION_CODES = {
    "1": "Ziekteverlof", "45": "Staking", "90": "Omstandigheidsverlof",
    "144": "Verlof wegens overmacht", "197": "Voltijds zorgkrediet kinderen <= 12 jaar",
    "002": "Te laat toegekomen", "101": "Ziekte",
}


def person_guid(seed: int, institute: str, kind: str, key: object) -> str:
    """A reproducible lower-case GUID for ``kind`` ``key`` of an institute."""
    return str(uuid.uuid5(_NAMESPACE, f"{seed}:{institute}:{kind}:{key}"))


@dataclasses.dataclass
class PersonnelInstitute:
    """What the fake personnel API serves for one institute.

    Attributes:
        number: the institute number.
        school_year: the school year the data is for; other years are served empty.
        structures: the main structures (``hfd``) of the institute.
        employees: employee payloads by ``personId``.
        assignments: assignment payloads.
        interruptions: interruption payloads by ``doId``.
        api_interruptions: the ``doId`` of interruptions created through the API (only
            these may be deleted: MNA008).
        verified: ``doId`` of interruptions the secretariat verified (MNA009).
        attachments: attachments by id: ``{"personId", "filename", "content", "links"}``.
        diplomas, own_fields: their payloads.
        photos: photo payloads by ``personId``.
        documents: RL document payloads by ``documentId``.
        pdfs: the PDF of each document.
        signed: the reports of ``signeddocument`` by ``documentId``
            (``{"status", "tijdstip", "pdf"}``).
        written: the body of the last accepted interruption write by ``doId``, as sent.
    """

    number: str
    school_year: str
    structures: tuple[str, ...] = ()
    employees: dict[str, Payload] = dataclasses.field(default_factory=dict)
    assignments: list[Payload] = dataclasses.field(default_factory=list)
    interruptions: dict[str, Payload] = dataclasses.field(default_factory=dict)
    api_interruptions: set[str] = dataclasses.field(default_factory=set)
    verified: set[str] = dataclasses.field(default_factory=set)
    attachments: dict[str, dict[str, Any]] = dataclasses.field(default_factory=dict)
    diplomas: list[Payload] = dataclasses.field(default_factory=list)
    own_fields: list[Payload] = dataclasses.field(default_factory=list)
    photos: dict[str, Payload] = dataclasses.field(default_factory=dict)
    documents: dict[int, Payload] = dataclasses.field(default_factory=dict)
    pdfs: dict[int, bytes] = dataclasses.field(default_factory=dict)
    signed: dict[int, dict[str, Any]] = dataclasses.field(default_factory=dict)
    written: dict[str, dict[str, Any]] = dataclasses.field(default_factory=dict)
    next_interruption: int = 900_000

    def __repr__(self) -> str:
        return (f"PersonnelInstitute(number={self.number!r}, employees={len(self.employees)}, "
                f"interruptions={len(self.interruptions)})")

    def person_by_p_persoon(self, p_persoon: int | str) -> str:
        """The ``personId`` of the employee with this ``pPersoon`` (the legacy key)."""
        for person_id, employee in self.employees.items():
            if str(employee["pPersoon"]) == str(p_persoon):
                return person_id
        raise KeyError(p_persoon)

    def replaced(self, do_id: str) -> bool:
        """Whether an assignment replaces someone during this interruption."""
        return any(r.get("doId") == do_id for a in self.assignments for r in a["vervangingen"])


def _iso(day: dt.date | None) -> str | None:
    return None if day is None else day.isoformat() + "T00:00:00"


def _legacy_day(value: Any) -> dt.date | None:
    return parse_dmy(str(value), "date") if value else None


def _photo(seed: int, person_id: str) -> bytes:
    digest = hashlib.sha256(f"{seed}:photo:{person_id}".encode()).digest()
    return b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + digest * 4 + b"\xff\xd9"


def _pdf(document_id: int) -> bytes:
    return (b"%PDF-1.4\n1 0 obj <<>> endobj\n% RL document " + str(document_id).encode()
            + b"\ntrailer <<>>\n%%EOF\n")


def generate_personnel(
    legacy: LegacyInstitute, school_year: str, seed: int
) -> PersonnelInstitute:
    """The personnel API's data of an institute, derived from its legacy staff."""
    number = legacy.number
    rng = random.Random(f"{seed}:{number}:personnel")
    structures = tuple(dict.fromkeys(
        str(row["Hfd"]) for row in legacy.assignments + legacy.interruptions if row.get("Hfd")
    )) or ("311",)
    out = PersonnelInstitute(number=number, school_year=school_year, structures=structures)
    start = int(school_year[:4])

    def guid(kind: str, key: object) -> str:
        return person_guid(seed, number, kind, key)

    by_p: dict[str, str] = {}
    groups: dict[str, str] = {}
    for index, row in enumerate(legacy.staff):
        p = str(row["p_persoon"])
        person = by_p[p] = guid("person", p)
        group = legacy.staff_groups[p]
        groups.setdefault(group, guid("group", group))
        male = row["Geslacht"] == "1"
        born = _legacy_day(row["Geboortedatum"])
        teacher = group == "Leerkrachten"
        mails = [{"id": guid("mail", f"{p}:school"), "pEmail": rng.randrange(10**5, 10**6),
                  "type": "School", "email": row["School_email"]}]
        if row["Prive_email"]:
            mails.append({"id": guid("mail", f"{p}:prive"), "pEmail": rng.randrange(10**5, 10**6),
                          "type": "Privé", "email": row["Prive_email"]})
        comnrs = [{"id": guid("comnr", f"{p}:gsm"), "type": "Privé nummer", "soort": "Gsm",
                   "nr": row["Gsm"]}]
        if row["Thuistelefoon"]:
            comnrs.append({"id": guid("comnr", f"{p}:tel"), "type": "Domicilie",
                           "soort": "Telefoon", "nr": row["Thuistelefoon"]})
        married = rng.random() < 0.5
        children = [{
            "id": guid("child", f"{p}:{n}"), "naam": row["Naam"],
            "voornaam": rng.choice(("Lotte", "Wout", "Fien", "Mats", "Noor")),
            "geslacht": rng.choice("MV"),
            "geboortedatum": _iso(dt.date(start - rng.randrange(1, 20), rng.randrange(1, 13), 1)),
            "isOverleden": False, "datumOverleden": None,
        } for n in range(rng.choice((0, 0, 1, 2)))]
        employee: Payload = {
            "pPersoon": int(p), "personId": person,
            "personaId": guid("persona", p) if rng.random() < 0.5 else None,
            "naam": row["Naam"], "voornaam": row["Voornaam"], "bijkomendeVoornamen": None,
            "stamnr": row["Stamnummer"], "sortName": f"{row['Naam']} {row['Voornaam']}",
            "nickName": row["Voornaam"], "geslacht": "M" if male else "V",
            "initialen": f"{str(row['Voornaam'])[:1]}{str(row['Naam'])[:1]}",
            "geboortedatum": _iso(born), "geboorteplaats": row["Geboorteplaats"],
            "geboortelandCode": "00150", "nationaliteitCode": "00150",
            "rijksregisternr": row["Rijksregnr"], "bisnr": None,
            "bank": {"iban": row["Iban"], "bic": row["Bic"]},
            "hoofdAmbt": {"code": "00502", "naam": "Leraar SO"} if teacher else None,
            "eersteDienstSchool": _iso(dt.date(start - rng.randrange(0, 25), 9, 1)),
            "eersteDienstScholengroep": None, "eersteDienstScholengemeenschap": None,
            "isActive": row["Actief"] == "Ja", "effectiefInDienst": True,
            "pensioendatum": None, "isMindervalide": False, "isOverleden": False,
            "datumOverleden": None, "burgStand": 2 if married else rng.choice((1, 4, 6)),
            "aantalKinderen": len(children),
            "partner": {
                "id": guid("partner", p), "naam": rng.choice(("Peeters", "Maes", "Claes")),
                "voornaam": rng.choice(("Sam", "Robin", "Kim")), "geboortedatum": None,
                "nationaliteitCode": "00150", "isOverleden": False, "datumOverleden": None,
                "inkomen": rng.choice((-1, 0, 1, 2, 3)),
            } if married else None,
            "adressen": [{
                "id": guid("address", p), "pAdres": rng.randrange(10**6, 10**7),
                "aanspreekTitel": None, "aanspreekNaam": f"{row['Voornaam']} {row['Naam']}",
                "straat": row["Straat"], "nummer": row["Nr"], "bus": row["Bus"] or None,
                "postcode": row["Dlpostnr"], "gemeente": row["Dlgem"], "landCode": "00150",
                "isDomicilie": True, "isVerblijf": False,
            }],
            "comnrs": comnrs, "emailadressen": mails, "kinderen": children,
            "personeelsgroepen": [{"id": groups[group], "naam": group}],
        }
        if index % 3 == 1:  # peers disagree on the spelling
            employee["nickname"] = employee.pop("nickName")
        if index % 4 == 2:
            employee["bisnr"] = "null"  # a literal "null" as some answers carry
            employee["geboorteplaatsNis"] = "44021"  # a field the client does not know
        out.employees[person] = employee
        photo = b"" if index == len(legacy.staff) - 1 else _photo(seed, person)
        out.photos[person] = {"id": guid("photo", p), "personId": person,
                              "photo": base64.b64encode(photo).decode("ascii")}
        for field in legacy.free_fields:
            if str(field["pPersoon"]) != p:
                continue
            label = str(field["OmschrijvingVrijVeld"])
            value: Any = field["WaardeVrijVeld"]
            if field["Datatype"] == "Ja/Nee":
                value = value == "Ja"  # a JSON boolean: waarde keeps its type
            out.own_fields.append({
                "personId": person, "vvId": guid("ownfield", label), "naam": label,
                "waarde": value, "dataType": field["Datatype"], "rubriek": 1,
            })
        out.own_fields.append({
            "personId": person, "vvId": guid("ownfield", "Anciënniteit"),
            "naam": "Anciënniteit", "waarde": rng.randrange(0, 30), "dataType": "Getal",
            "rubriek": 2,
        })
        for diploma in legacy.diplomas:
            if str(diploma["PPersoon"]) != p:
                continue
            out.diplomas.append({
                "id": str(diploma["PDiploma"]), "personId": person,
                "omschrijving": diploma["OmschrijvingDiploma"],
                "uitgereiktDoor": diploma["UitgereiktDoor"],
                "uitgereiktOp": _iso(_legacy_day(diploma["OpDatum"])),
                "isHoofddiploma": diploma["IsHoofddiploma"] == "Ja",
                "isBekwaamheidsbewijs": diploma["IsBekwaamheidsbewijs"] == "Ja",
            })

    for row in legacy.interruptions:
        p = str(row["p_persoon"])
        do_id = guid("interruption", row["POnderbr"])
        out.interruptions[do_id] = {
            "pOnderbreking": int(str(row["POnderbr"])), "doId": do_id, "personId": by_p[p],
            "hfd": row["Hfd"], "begindatum": _iso(_legacy_day(row["Begindatum"])),
            "einddatum": _iso(_legacy_day(row["Einddatum"])), "code": row["Code"],
            "omschrijving": row["Omschrijving"], "soort": row["RL"],
            "verstuurdAgODi": row["Verstuurd"] == "Ja", "opmSecretariaat": "",
            "opmPersoneelslid": None, "staking": None, "stakingUren": None,
            "ziekteverlofZonderBezoldiging": False,
        }
    covers = {str(r["POpdrachtVervanger"]): (str(r["POpdrachtTitularis"]), str(r["POnderbr"]))
              for r in legacy.replacements}
    for row in legacy.assignments:
        replaced = covers.get(str(row["POpdr"]))
        out.assignments.append({
            "id": guid("assignment", row["POpdr"]), "pOpdracht": int(str(row["POpdr"])),
            "personId": by_p[str(row["p_persoon"])], "ambt": row["Ambtomschrijving"],
            "ambtCode": row["Ambtcode"], "begindatum": _iso(_legacy_day(row["Begindatum"])),
            "einddatum": _iso(_legacy_day(row["Einddatum"])),
            "vervangingen": [] if replaced is None else [{
                "opdrachtId": guid("assignment", replaced[0]),
                "doId": guid("interruption", replaced[1]),
            }],
            "urenTbsOB": float(row["Tbsob"] or 0), "reaffWedertew": "",
            "afstandWachtgeld": float(row["AfstandWachtgeld"] or 0),
            "isTao": bool(row["Tao"]), "aanstellingscode": 0, "ato": row["ATO"] or "4",
            "vakRubriek": row["Vakrubriek"], "hfd": row["Hfd"],
        })

    document_id = rng.randrange(10_000, 20_000)
    created = dt.datetime(start, 9, 15, 8, 0, 0)
    statuses = (None, "Opgehaald", "Bekeken", "Ondertekend")
    for row in legacy.assignments[: len(legacy.staff)]:
        document_id += rng.randrange(1, 9)
        changed = created + dt.timedelta(days=rng.randrange(0, 60), hours=rng.randrange(0, 9))
        sent = rng.random() < 0.8
        out.documents[document_id] = {
            "documentId": document_id, "personId": by_p[str(row["p_persoon"])],
            "rlType": "RL1", "tekenStatus": rng.choice(statuses),
            "zendingnr": rng.randrange(10**6, 10**7) if sent else None,
            "referentie": f"RL1-{document_id}",
            "aangemaaktOp": created.isoformat() + "Z",
            "verstuurdNaarEdisonOp": changed.isoformat() + "Z" if sent else None,
            "edisonStatusGewijzigdOp": changed.isoformat() + "Z" if sent else None,
            "rl1Ingangsdatum": _iso(dt.date(start, 9, 1)),
        }
    for interruption in out.interruptions.values():
        document_id += rng.randrange(1, 9)
        changed = created + dt.timedelta(days=rng.randrange(30, 120))
        out.documents[document_id] = {  # RL2 rows have no rl1Ingangsdatum key at all
            "documentId": document_id, "personId": interruption["personId"],
            "rlType": "RL2", "tekenStatus": None, "zendingnr": rng.randrange(10**6, 10**7),
            "referentie": None, "aangemaaktOp": created.isoformat() + "Z",
            "verstuurdNaarEdisonOp": changed.isoformat() + "Z",
            "edisonStatusGewijzigdOp": changed.isoformat() + "Z",
        }
    first = next(iter(out.employees), None)
    if first is not None:
        document_id += 1
        out.documents[document_id] = {
            "documentId": document_id, "personId": first, "rlType": "RL4",
            "tekenStatus": None, "zendingnr": None, "referentie": None,
            "aangemaaktOp": created.isoformat() + "Z", "verstuurdNaarEdisonOp": None,
            "edisonStatusGewijzigdOp": None, "rl4Ingangsdatum": None,
        }
    for doc in out.documents:
        out.pdfs[doc] = _pdf(doc)
    return out
