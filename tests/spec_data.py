"""The spec's example payloads, copied verbatim into tests/data/spec_<name>.json."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

DATA = Path(__file__).parent / "data"


def spec_example(name: str) -> Any:
    """A payload copied from the spec's examples (tests/data/spec_<name>.json)."""
    return json.loads((DATA / f"spec_{name}.json").read_text(encoding="utf-8"))
