"""How a registration reads on screens and in packs: "GPhC 2071234", not the register's code
("GPHC-PHARMACIST 2071234").

The regulator's own spelling for each register is the role catalogue's. It is read here as plain
JSON, without the catalogue's validation: the staff list needs it at start-up, before the
validating models (pydantic, about 100 ms to import) have loaded. The catalogue is validated as
usual when it is first used, so a broken file is still reported.
"""

from __future__ import annotations

import json
from functools import lru_cache


@lru_cache(maxsize=1)
def _regulators() -> dict[str, str]:
    from arrs_desk.paths import resource_path

    try:
        data = json.loads(resource_path("catalogue", "roles.json").read_text(encoding="utf-8"))
        return {str(r["code"]): str(r["regulator"]) for r in data.get("registers", ())}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}  # the catalogue's own load names what is wrong with the file


def regulator_of(register_code: str) -> str:
    """The regulator's spelling for a register ("GPHC-TECHNICIAN" -> "GPhC"); for a code the
    catalogue does not know, the code's first part."""
    return _regulators().get(register_code) or register_code.split("-")[0]


def registration_text(register_code: str, number: str | None) -> str:
    """'GPhC 2071234'; "" with no number."""
    if not number:
        return ""
    return f"{regulator_of(register_code)} {number}".strip() if register_code else number
