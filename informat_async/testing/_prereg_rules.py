"""Server-side pre-registration rules of the fake server (placeholder, replaced by the full rule set)."""

from __future__ import annotations

from typing import Any


def check_preregistration(payload: dict[str, Any]) -> list[tuple[str, str]]:
    """Return Informat's ``(code, message)`` pairs for a ``/preregistrations/save`` body."""
    return []
