"""The example payloads of the Informat "Leerlingen" API specification, verbatim.

These are served by :class:`~informat_async.testing.FakeInformat` for institute ``999999`` when
``spec_examples=True``. They are copied from the specification (v1.21) with only the changes needed
to make them JSON: the ``{…}`` placeholders dropped, a missing comma between the two school history
items added and the base64 photo, which the document wraps over several lines, joined.

Quirks of the examples are kept on purpose (they are what a tolerant client must accept): the
nickname's leading space, ``" DIKSMUIDE "`` with spaces, the mother's address without
``landcode``, ``fietsnummer`` and ``overigeadressen`` in lower case, mixed-case GUIDs and the
JPEG's trailing byte.
"""

from __future__ import annotations

import json
from typing import Any

EXAMPLE_INSTITUTE = "999999"
"""Institute number the specification uses in its example requests."""

_STUDENT = """\
{
  "pPersoon": 69780,
  "persoonId": "5b8f64c5-3968-4b13-b962-e4acda9601bc",
  "naam": "Van Damme",
  "voornaam": "Thomas",
  "geboortedatum": "2001-12-20T00:00:00",
  "nickname": " Van Damme Tom",
  "voornaam2": "",
  "initialen": "",
  "geboorteland": "België",
  "geboorteplaats": "KORTRIJK",
  "nationaliteitCode": "00150",
  "rijksregisternr": "12345678910",
  "bisnr": null,
  "geslacht": "M",
  "huisdokter": "Dr. Ever Young",
  "telefoonHuisdokter": "",
  "llOpSchool": 0,
  "inschrijvingsId": "724a9169-7e92-4f8e-a875-1d8dff1d6662",
  "leerlingenkaartNummer": "LK:012",
  "fietsnummer": "B012",
  "adressen": [
    {
      "pAdres": 80000,
      "adresId": "67c7633a-f3d9-4f82-b600-8bc617cf851c",
      "aanspreekTitel": "Aan de vader van",
      "aanspreekNaam": "Van Damme Thomas",
      "straat": "Stationsstraat",
      "nr": "100",
      "bus": "2",
      "postcode": "8600",
      "gemeente": "DIKSMUIDE",
      "landcode": "00150",
      "isFacturatie": true,
      "isAanschrijf": true,
      "isVerblijf": true,
      "isOverige": false,
      "percentage": 100
    }
  ],
  "overigeadressen": [
    {
      "pAdres": 80101,
      "adresId": "a3f4e242-f94d-484b-a088-d129314144b9",
      "aanspreekTitel": "Aan de grootmoeder van",
      "aanspreekNaam": "Van Damme Thomas",
      "straat": "Veurnsestraat",
      "nr": "33",
      "bus": "A",
      "postcode": "8930",
      "gemeente": "MENEN",
      "landcode": "00150",
      "isFacturatie": false,
      "isAanschrijf": true,
      "isVerblijf": false,
      "isOverige": false,
      "percentage": 0
    }
  ],
  "relaties": [
    {
      "pRelatie": 72936,
      "relatieId": "8a002367-18ac-45cd-a91c-493b2f317a69",
      "type": "Vader",
      "naam": "Van Damme",
      "voornaam": "Jean",
      "insz": null,
      "geboortedatum": "1976-03-06T00:00:00",
      "geslacht": "M",
      "nationaliteitCode": "00150",
      "beroep": "Zelfstandige",
      "burgerlijkeStand": "Gescheiden",
      "lpv": 1,
      "ophalen": false,
      "isOverleden": false,
      "adressen": [
        {
          "pAdres": 80000,
          "adresId": "67c7633a-f3d9-4f82-b600-8bc617cf851c",
          "aanspreekTitel": "Aan de vader van",
          "aanspreekNaam": "Van Damme Thomas",
          "straat": "Stationsstraat",
          "nr": "100",
          "bus": "2",
          "postcode": "8600",
          "gemeente": " DIKSMUIDE ",
          "landcode": "00150",
          "isFacturatie": true,
          "isAanschrijf": true,
          "isVerblijf": true,
          "isOverige": false,
          "percentage": 100
        }
      ],
      "comnrs": [
        {
          "pComnr": 156687,
          "nr": "0404 95 22 52",
          "type": "Vader",
          "soort": "Gsm"
        }
      ],
      "emails": [
        {
          "pEmail": 59294,
          "email": "Jean.VanDamme@informat.be",
          "type": "Vader",
          "schoolcom": true,
          "factuurMailen": false
        }
      ]
    },
    {
      "pRelatie": 72937,
      "relatieId": "06124ed9-bec9-45e7-b5d3-0f553ca77d66",
      "type": "Moeder",
      "naam": "Somers",
      "voornaam": "Melissa",
      "insz": null,
      "geboortedatum": "1981-06-08T00:00:00",
      "geslacht": "V",
      "nationaliteitCode": "00150",
      "beroep": "Bediende",
      "burgerlijkeStand": "Gescheiden",
      "lpv": 2,
      "ophalen": false,
      "isOverleden": false,
      "adressen": [
        {
          "pAdres": 80000,
          "adresId": "67c7633a-f3d9-4f82-b600-8bc617cf851c",
          "aanspreekTitel": "Aan de moeder van",
          "aanspreekNaam": "Van Damme Thomas",
          "straat": "Grote markt",
          "nr": "45",
          "bus": "",
          "postcode": "8600",
          "gemeente": "DIKSMUIDE",
          "isFacturatie": true,
          "isAanschrijf": true,
          "isVerblijf": true,
          "isOverige": false,
          "percentage": 100
        }
      ],
      "comnrs": [
        {
          "pComnr": 156688,
          "nr": "0492 09 52 25",
          "type": "Moeder",
          "soort": "Gsm"
        }
      ],
      "emails": [
        {
          "pEmail": 22720,
          "email": "Melissa.Somers@informat.be",
          "type": "Moeder",
          "schoolcom": true,
          "factuurMailen": true
        }
      ]
    }
  ],
  "comnrs": [
    {
      "pComnr": 156689,
      "nr": "0492 25 55 29",
      "type": "Noodnummer",
      "soort": "Gsm"
    },
    {
      "pComnr": 188384,
      "nr": "025 04 09 52",
      "type": "Domicilie",
      "soort": "Telefoon"
    },
    {
      "pComnr": 188385,
      "nr": "0402 45 02 25",
      "type": "Eigen",
      "soort": "Gsm"
    },
    {
      "pComnr": 234237,
      "nr": "025 22 94 20",
      "type": "Alternatief nummer",
      "soort": "Telefoon"
    }
  ],
  "emails": [
    {
      "pEmail": 58608,
      "email": "Thomas.Vandamme@informat.be",
      "type": "Eigen",
      "schoolcom": true,
      "factuurMailen": false
    }
  ],
  "bankrek": [
    {
      "type": 2,
      "iban": "BE12378901230178",
      "bic": "BNAGBEBB"
    }
  ]
}
"""

_REGISTRATION = """\
{
  "inschrijvingsId": "bd26bb65-f54a-488d-866b-e1f9927d6be5",
  "pInschr": 175926,
  "pPersoon": 69780,
  "persoonId": "5b8f64c5-3968-4b13-b962-e4acda9601bc",
  "instelnr": "999999",
  "hfdstructuur": "311",
  "school": "TEST GO! Technisch Atheneum",
  "stamnr": "20200688",
  "vestCode": "molenst2",
  "vestiging": "Molenstraat 2",
  "begindatum": "2021-09-01T00:00:00",
  "einddatum": null,
  "afdCode": "Grieks",
  "nrAdmgrp": "040092",
  "afdelingsjaar": "2° jaar Grieks",
  "status": 1,
  "graad": "1",
  "leerjaar": 2,
  "taalkeuze": "Frans - Engels",
  "finCode": "02",
  "levensbeschouwingCode": "0000",
  "isOkan": false,
  "preRegistrationId": "53a3bb93-d269-46b5-86fa-08193bd4ba30",
  "inschrKlassen": [
    {
      "inschrKlasId": "a6a278e3-52c1-42c0-8e03-85331a5e683f",
      "pInschrKlas": 310301,
      "klasId": "82c5ad0d-8f0c-4b9d-b2de-752c7e5a3bd4",
      "pKlas": 26888,
      "klasCode": "2B HO",
      "klas": "2B HO2",
      "groepType": 0,
      "klasnummer": 0,
      "begindatum": "2021-09-01T00:00:00",
      "einddatum": "2022-01-18T00:00:00",
      "klassenleraars": [
        {
          "persoonId": "96CBbe89-f442-48b1-845c-b18e4Aceeae9",
          "naam": "Walschaerts",
          "voornaam": "Frank"
        }
      ]
    }
  ]
}
"""

_SCHOOL_HISTORY = """\
[
  {
    "pPersoon": 27396,
    "persoonId": "4515e23f-4314-4447-9b49-61403535b75d",
    "schooljaar": "2020-21",
    "instelnr": "023456",
    "school": "TEST Atheneum",
    "vanDatum": "2020-09-01T00:00:00",
    "totDatum": "2021-06-30T00:00:00",
    "nrAdmgrp": "038500",
    "admgrp": "2e jaar kwalificatiefase Medewerker groen- en tuinbeheer duaal",
    "studiebewijzen": [
      {
        "studiebewijs": "ARL Duaal",
        "uitreiking": "2021-06-30T00:00:00",
        "clausulering": null
      },
      {
        "studiebewijs": "Attest verworven bekwaamheden OV3",
        "uitreiking": "2021-06-30T00:00:00",
        "clausulering": null
      },
      {
        "studiebewijs": "Bewijs van beroepskwalificatie: Medewerker groen- en tuinbeheer",
        "uitreiking": "2021-06-30T00:00:00",
        "clausulering": null
      }
    ]
  },
  {
    "pPersoon": 134345,
    "persoonId": "35b0a17e-bcd4-4b20-a473-cd87a8403edd",
    "schooljaar": "2021-22",
    "instelnr": "032145",
    "school": "TEST GO! Technisch Atheneum",
    "vanDatum": "2021-12-21T00:00:00",
    "totDatum": null,
    "nrAdmgrp": "040092",
    "admgrp": "2e leerjaar A Klassieke talen (Grieks en Latijn)",
    "studiebewijzen": [
      {
        "studiebewijs": "Oriënteringsattest B",
        "uitreiking": "2022-06-30T00:00:00",
        "clausulering": "finaliteiten: Doorstroom, Dubbel"
      },
      {
        "studiebewijs": "Getuigschrift 1e graad",
        "uitreiking": "2022-06-30T00:00:00",
        "clausulering": null
      }
    ]
  }
]
"""

_PHOTO = """\
{
  "id": "88927dc9-c707-4400-b4eb-0b74bd390578",
  "persoonId": "c5806777-4bce-4d50-afc5-9cb47f1a5f14"
}
"""

_PHOTO_BASE64 = (
    "/9j/4AAQSkZJRgABAQEBLAEsAAD/2wBDAAgGBgcGBQgHBwcJCQgKDBQNDAsLDBkSEw8UHRofHh0a"
    "HBwgJC4nICIsIxwcKDcpLDAxNDQ0Hyc5PTgyPC4zNDL/2wBDAQkJCQwLDBgNDRgyIRwhMjIyMjIy"
    "MjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjL/wAARCAABAAEDASIA"
    "AhEBAxEB/8QAHwAAAQUBAQEBAQEAAAAAAAAAAAECAwQFBgcICQoL/8QAtRAAAgEDAwIEAwUFBAQA"
    "AAF9AQIDAAQRBRIhMUEGE1FhByJxFDKBkaEII0KxwRVS0fAkM2JyggkKFhcYGRolJicoKSo0NTY3"
    "ODk6Q0RFRkdISUpTVFVWV1hZWmNkZWZnaGlqc3R1dnd4eXqDhIWGh4iJipKTlJWWl5iZmqKjpKWm"
    "p6ipqrKztLW2t7i5usLDxMXGx8jJytLT1NXW19jZ2uHi4+Tl5ufo6erx8vP09fb3+Pn6/8QAHwEA"
    "AwEBAQEBAQEBAQAAAAAAAAECAwQFBgcICQoL/8QAtREAAgECBAQDBAcFBAQAAQJ3AAECAxEEBSEx"
    "BhJBUQdhcRMiMoEIFEKRobHBCSMzUvAVYnLRChYkNOEl8RcYGRomJygpKjU2Nzg5OkNERUZHSElK"
    "U1RVVldYWVpjZGVmZ2hpanN0dXZ3eHl6goOEhYaHiImKkpOUlZaXmJmaoqOkpaanqKmqsrO0tba3"
    "uLm6wsPExcbHyMnK0tPU1dbX2Nna4uPk5ebn6Onq8vP09fb3+Pn6/9oADAMBAAIRAxEAPwD3+iii"
    "gD//2QA="
)


def example_student() -> dict[str, Any]:
    """Return a fresh copy of the example student (Van Damme Thomas) of ``GET /students``."""
    result: dict[str, Any] = json.loads(_STUDENT)
    return result


def example_registration() -> dict[str, Any]:
    """Return a fresh copy of the example registration of ``GET /registrations``."""
    result: dict[str, Any] = json.loads(_REGISTRATION)
    return result


def example_school_history() -> list[dict[str, Any]]:
    """Return fresh copies of the two example items of ``GET /schoolHistory``."""
    result: list[dict[str, Any]] = json.loads(_SCHOOL_HISTORY)
    return result


def example_photo() -> dict[str, Any]:
    """Return a fresh copy of the example photo object of ``GET /students/{id}/photo``."""
    result: dict[str, Any] = json.loads(_PHOTO)
    result["foto"] = _PHOTO_BASE64
    return result


_PREREGISTRATION = """\
{
  "lastName": "Eastwood",
  "firstName": "Scott",
  "additionalNames": null,
  "dateOfBirth": "2010-04-01",
  "countryOfBirthCode": "00150",
  "placeOfBirthCode": "8600",
  "placeOfBirth": null,
  "nationalityCode": "00150",
  "sex": 1,
  "insz": "10040115670",
  "eIdNo": "1234",
  "eIdPhoto": "",
  "mobilePhone": "",
  "email": "Scott.Eastwood@telenet.be",
  "nameOfDoctor": "Ever young",
  "phoneOfDoctor": null,
  "firstLanguage": "Vlaams",
  "isHomeless": false,
  "migrating": false,
  "isIndicatorPupil": true,
  "religion": null,
  "priorityGroup": null,
  "reasonForRefusal": null,
  "Relationships": [
    {
      "type": 13,
      "lastName": "Eastwood",
      "firstName": "Clint",
      "phone": null,
      "mobilePhone": null,
      "email": "TisTeZot@telenet.be",
      "insz": "80031516717",
      "Address": {
        "streetName": "Nijverheidslaan",
        "houseNo": "120A",
        "houseBusNo": null,
        "postalCode": "8600",
        "city": "Diksmuide",
        "countryCode": "00150",
        "isDomicileAddress": true,
        "isWritingAddress": false,
        "isResidenceAddress": true
      }
    }
  ],
  "preRegistrationId": "EA840317-856F-4280-BE8F-DE0A46E2935F",
  "schoolyear": "2020-21",
  "institute": "123456",
  "structure": "211",
  "locationId": "001",
  "admgrpId": "040102",
  "admgrpDetail": "Test jaar",
  "preRegistrationDate": "2020-06-05T10:15",
  "startDate": "2020-09-01",
  "registrationStatus": 1,
  "remark": "Mijn eerste test registratie",
  "assignedViaRegistrationSystem": true
}
"""


def example_preregistration() -> dict[str, Any]:
    """Return a fresh copy of the example ``POST /preregistrations/save`` request body.

    The specification's example lacks a comma after ``remark``; it is added here.
    """
    result: dict[str, Any] = json.loads(_PREREGISTRATION)
    return result
