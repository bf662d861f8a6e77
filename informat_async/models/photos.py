"""Student photos (``GET /students/{studentId}/photo``)."""

from __future__ import annotations

import uuid

import attrs


@attrs.frozen
class Photo:
    """A student's photo, with the base64 of the wire already decoded to bytes."""

    id: uuid.UUID | None
    """Unique identifier of the photo."""
    persoon_id: uuid.UUID | None
    """The student the photo belongs to."""
    foto: bytes = attrs.field(repr=lambda value: f"<{len(value)} bytes>")
    """The image bytes (usually JPEG)."""
