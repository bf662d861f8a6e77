"""Pre-registrations (``POST /preregistrations/save``) and their status.

The request models are plain data: build them with keyword arguments, check them with
:func:`informat_async.validate_preregistration` (``save_preregistration`` does that for
you before anything is sent). INSZ numbers are kept out of ``repr``.
"""

from __future__ import annotations

import datetime as dt
import uuid

import attrs

from ._enums import (
    PreRegistrationRegistrationStatus,
    PreRegistrationSex,
    PreRegistrationState,
    PriorityGroup,
    ReasonForRefusal,
    RelationshipType,
    Religion,
)


@attrs.frozen(kw_only=True)
class PreRegistrationAddress:
    """The address of a relationship (``Relationships[].Address``)."""

    street_name: str
    """Street name, at most 50 characters."""
    house_no: str
    """House number with alpha suffix, at most 10 characters."""
    postal_code: str
    """Official postal code, at most 8 characters."""
    city: str
    """City, at most 30 characters."""
    country_code: str
    """Official country code, exactly 5 characters (e.g. "00150")."""
    is_domicile_address: bool
    """Whether this is the domicile address."""
    is_writing_address: bool
    """Whether this is the writing (correspondence) address."""
    is_residence_address: bool
    """Whether this is the residence address."""
    house_bus_no: str | None = None
    """Box number, at most 6 characters."""


@attrs.frozen(kw_only=True)
class PreRegistrationRelationship:
    """A relationship of the pupil (``Relationships[]``); at most two per pre-registration."""

    type: RelationshipType
    """Relationship type; type 0 (pupil) only carries an adult pupil's address."""
    last_name: str | None = None
    """Last name, required (max. 50) unless type is 0."""
    first_name: str | None = None
    """First name, required (max. 30) unless type is 0."""
    phone: str | None = None
    """Domicile phone number, at most 20 characters."""
    mobile_phone: str | None = None
    """Mobile number, at most 20 characters."""
    email: str | None = None
    """E-mail address."""
    insz: str | None = attrs.field(default=None, repr=False)
    """National register or bis number of the relation (kept out of ``repr``)."""
    address: PreRegistrationAddress | None = None
    """The relation's address."""


@attrs.frozen(kw_only=True)
class PreRegistration:
    """A pre-registration to push into Informat (an online reservation).

    ``pre_registration_id`` is chosen by the caller (see
    :func:`informat_async.new_preregistration_id`): saving the same id again updates the
    pre-registration instead of creating a second one, so a save that timed out can be
    retried safely with the same object.
    """

    pre_registration_id: uuid.UUID
    """Caller-chosen unique id; later updates, deletes and status calls use it."""
    schoolyear: str
    """School year of the registration, e.g. "2025-26"."""
    institute: str
    """Official institute number, 6 digits."""
    structure: str
    """Main structure (hoofdstructuur) of the institute, 3 characters (111, 311, ...)."""
    location_id: str
    """Official Discimus location number, 3 digits."""
    admgrp_id: str
    """Official education number, 6 digits; "000000" for an update of personal details."""
    start_date: dt.date
    """First day of lessons: inside the school year, not on a weekend except 1 September."""
    registration_status: PreRegistrationRegistrationStatus
    """0 realized or 1 not realized."""
    last_name: str
    """Pupil's last name, at most 50 characters."""
    first_name: str
    """Pupil's first name, at most 50 characters."""
    date_of_birth: dt.date
    """Date of birth."""
    country_of_birth_code: str
    """Official country code of the country of birth, 5 characters."""
    nationality_code: str
    """Official nationality code, 5 characters."""
    sex: PreRegistrationSex
    """1 male, 2 female."""
    is_homeless: bool = False
    """Whether the pupil changes shelter or residence frequently."""
    migrating: bool = False
    """Whether the pupil belongs to the migratory (trekkende) population."""
    is_indicator_pupil: bool = False
    """Whether the pupil meets at least one official indicator."""
    pre_registration_date: dt.datetime | None = None
    """Date and time of the online reservation; required unless admgrp_id is "000000"."""
    additional_names: str | None = None
    """Additional names, at most 160 characters."""
    place_of_birth_code: str | None = None
    """Postal code of the place of birth, at most 10 characters."""
    place_of_birth: str | None = None
    """Place of birth, at most 50 characters."""
    insz: str | None = attrs.field(default=None, repr=False)
    """National register or bis number (kept out of ``repr``)."""
    e_id_no: str | None = None
    """Number of an electronic residence document, at most 12 characters."""
    e_id_photo: str | None = attrs.field(default=None, repr=False)
    """Photo of an electronic residence document as a delimited string."""
    mobile_phone: str | None = None
    """Pupil's own mobile number, at most 20 characters."""
    email: str | None = None
    """Pupil's private e-mail address."""
    name_of_doctor: str | None = None
    """Name of the pupil's doctor, at most 100 characters."""
    phone_of_doctor: str | None = None
    """Phone of the pupil's doctor, at most 20 characters."""
    first_language: str | None = None
    """First language, at most 100 characters."""
    religion: Religion | None = None
    """Religion or philosophy (levensbeschouwing)."""
    priority_group: PriorityGroup | None = None
    """Priority group (voorrangsgroep)."""
    reason_for_refusal: ReasonForRefusal | None = None
    """Reason for refusal."""
    relationships: list[PreRegistrationRelationship] = attrs.field(factory=list)
    """At most two relationships."""
    admgrp_detail: str | None = None
    """Extra information about the education, at most 200 characters."""
    remark: str | None = None
    """Remark on the registration."""
    assigned_via_registration_system: bool = False
    """Whether it was assigned via a registration system (aanmeldingssysteem)."""


@attrs.frozen
class PreRegistrationStatus:
    """The state of a pre-registration (``preRegistrationStatus``)."""

    pre_registration_id: uuid.UUID
    """The pre-registration's id."""
    status: PreRegistrationState
    """open, accepted or refused (an unknown state is kept, not rejected)."""
