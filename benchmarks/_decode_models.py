"""Reference models of ``GET /students`` for the decode figure: msgspec and pydantic v2.

Same shape as :class:`informat_async.models.Student` (relations with addresses, comnrs,
emails; bank accounts), keys renamed to the wire's camelCase. Differences, all in the
references' favour (they do less than the client):

* keys must match exactly, where the client folds the case of every key;
* msgspec keeps GUIDs and dates as ``str``: its strict parsers reject what Informat sends
  (``{B7AE...}`` braced GUIDs, dates as ``2013-11-06T00:00:00``). Pydantic parses them
  (UUID and date), like the client;
* open enums (``geslacht``, bank account ``type``) are plain ``str``/``int``.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

import msgspec
from pydantic import BaseModel, ConfigDict
from pydantic.alias_generators import to_camel

# --- msgspec ----------------------------------------------------------------------------


class MAddress(msgspec.Struct, rename="camel"):
    p_adres: int | None = None
    adres_id: str | None = None
    aanspreek_titel: str | None = None
    aanspreek_naam: str | None = None
    straat: str | None = None
    nr: str | None = None
    bus: str | None = None
    postcode: str | None = None
    gemeente: str | None = None
    landcode: str | None = None
    is_facturatie: bool | None = None
    is_aanschrijf: bool | None = None
    is_verblijf: bool | None = None
    is_overige: bool | None = None
    percentage: Decimal | None = None


class MComnr(msgspec.Struct, rename="camel"):
    p_comnr: int | None = None
    nr: str | None = None
    type: str | None = None
    soort: str | None = None


class MEmail(msgspec.Struct, rename="camel"):
    p_email: int | None = None
    email: str | None = None
    type: str | None = None
    schoolcom: bool | None = None
    factuur_mailen: bool | None = None


class MRelation(msgspec.Struct, rename="camel"):
    p_relatie: int | None = None
    relatie_id: str | None = None
    type: str | None = None
    naam: str | None = None
    voornaam: str | None = None
    insz: str | None = None
    geboortedatum: str | None = None
    geslacht: str | None = None
    nationaliteit_code: str | None = None
    beroep: str | None = None
    burgerlijke_stand: str | None = None
    lpv: int | None = None
    ophalen: bool | None = None
    is_overleden: bool | None = None
    adressen: list[MAddress] | None = None
    comnrs: list[MComnr] | None = None
    emails: list[MEmail] | None = None


class MBankAccount(msgspec.Struct, rename="camel"):
    type: int | None = None
    iban: str | None = None
    bic: str | None = None


class MStudent(msgspec.Struct, rename="camel"):
    persoon_id: str
    p_persoon: int | None = None
    naam: str | None = None
    voornaam: str | None = None
    geboortedatum: str | None = None
    nickname: str | None = None
    voornaam2: str | None = None
    initialen: str | None = None
    geboorteland: str | None = None
    geboorteplaats: str | None = None
    nationaliteit_code: str | None = None
    rijksregisternr: str | None = None
    bisnr: str | None = None
    geslacht: str | None = None
    huisdokter: str | None = None
    telefoon_huisdokter: str | None = None
    ll_op_school: int | None = None
    inschrijvings_id: str | None = None
    leerlingenkaart_nummer: str | None = None
    fietsnummer: str | None = None  # the wire spells it so (camel rename leaves it)
    adressen: list[MAddress] | None = None
    overigeadressen: list[MAddress] | None = None
    relaties: list[MRelation] | None = None
    comnrs: list[MComnr] | None = None
    emails: list[MEmail] | None = None
    bankrek: list[MBankAccount] | None = None


class MStudents(msgspec.Struct):
    students: list[MStudent]


msgspec_decoder = msgspec.json.Decoder(MStudents)

# --- pydantic v2 ------------------------------------------------------------------------


class _Camel(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, frozen=True)


class PAddress(_Camel):
    p_adres: int | None = None
    adres_id: uuid.UUID | None = None
    aanspreek_titel: str | None = None
    aanspreek_naam: str | None = None
    straat: str | None = None
    nr: str | None = None
    bus: str | None = None
    postcode: str | None = None
    gemeente: str | None = None
    landcode: str | None = None
    is_facturatie: bool | None = None
    is_aanschrijf: bool | None = None
    is_verblijf: bool | None = None
    is_overige: bool | None = None
    percentage: Decimal | None = None


class PComnr(_Camel):
    p_comnr: int | None = None
    nr: str | None = None
    type: str | None = None
    soort: str | None = None


class PEmail(_Camel):
    p_email: int | None = None
    email: str | None = None
    type: str | None = None
    schoolcom: bool | None = None
    factuur_mailen: bool | None = None


class PRelation(_Camel):
    p_relatie: int | None = None
    relatie_id: uuid.UUID | None = None
    type: str | None = None
    naam: str | None = None
    voornaam: str | None = None
    insz: str | None = None
    geboortedatum: dt.date | None = None
    geslacht: str | None = None
    nationaliteit_code: str | None = None
    beroep: str | None = None
    burgerlijke_stand: str | None = None
    lpv: int | None = None
    ophalen: bool | None = None
    is_overleden: bool | None = None
    adressen: list[PAddress] | None = None
    comnrs: list[PComnr] | None = None
    emails: list[PEmail] | None = None


class PBankAccount(_Camel):
    type: int | None = None
    iban: str | None = None
    bic: str | None = None


class PStudent(_Camel):
    persoon_id: uuid.UUID
    p_persoon: int | None = None
    naam: str | None = None
    voornaam: str | None = None
    geboortedatum: dt.date | None = None
    nickname: str | None = None
    voornaam2: str | None = None
    initialen: str | None = None
    geboorteland: str | None = None
    geboorteplaats: str | None = None
    nationaliteit_code: str | None = None
    rijksregisternr: str | None = None
    bisnr: str | None = None
    geslacht: str | None = None
    huisdokter: str | None = None
    telefoon_huisdokter: str | None = None
    ll_op_school: int | None = None
    inschrijvings_id: uuid.UUID | None = None
    leerlingenkaart_nummer: str | None = None
    fietsnummer: str | None = None
    adressen: list[PAddress] | None = None
    overigeadressen: list[PAddress] | None = None
    relaties: list[PRelation] | None = None
    comnrs: list[PComnr] | None = None
    emails: list[PEmail] | None = None
    bankrek: list[PBankAccount] | None = None


class PStudents(BaseModel):
    students: list[PStudent]
