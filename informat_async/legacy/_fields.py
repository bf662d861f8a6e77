"""Field helpers shared by the legacy models: what stays out of ``repr``."""

from __future__ import annotations

from typing import Any

import attrs

#: attrs metadata key marking a field that holds a password.
PASSWORD = "informat_password"  # noqa: S105 - a metadata key, not a secret
#: attrs metadata key marking a field that holds a national number or an IBAN.
PERSONAL_NUMBER = "informat_personal_number"


def password() -> Any:
    """A field holding a password: left out of ``repr`` and marked in the metadata, so
    :func:`~informat_async.legacy.without_passwords` (and the command line) can blank it."""
    return attrs.field(default=None, repr=False, metadata={PASSWORD: True})


def personal_number() -> Any:
    """A field holding a national register or bis number or an IBAN: left out of ``repr``."""
    return attrs.field(default=None, repr=False, metadata={PERSONAL_NUMBER: True})
