"""A ``uuid.UUID`` made from a number whose digits were already checked.

``uuid.UUID(text)`` parses the text again (1.4 µs); this sets the number directly (0.4 µs).
Input checks (:mod:`.validation`) and the generated structuring functions
(:mod:`._fast_structure`) make their UUIDs this way, once per id of every request and record.
"""

from __future__ import annotations

import uuid

__all__ = ["uuid_from_int"]

_new_object = object.__new__
_set_int = uuid.UUID.__dict__["int"].__set__
_set_safe = uuid.UUID.__dict__["is_safe"].__set__
_UNKNOWN = uuid.SafeUUID.unknown


def uuid_from_int(number: int) -> uuid.UUID:
    """The UUID ``uuid.UUID(text)`` makes of a text whose 32 hex digits read ``number``
    (``0 <= number < 2**128``, unchecked)."""
    made: uuid.UUID = _new_object(uuid.UUID)
    _set_int(made, number)
    _set_safe(made, _UNKNOWN)
    return made
