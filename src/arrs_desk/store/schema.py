"""The schema revisions this build of ARRS Desk knows, read from the migration file names.

Listing a folder is far cheaper than loading Alembic's script machinery, so opening a database
needs one query and one directory listing. Revision files are named `NNNN_description.py` with
`revision = "NNNN"`; a test checks the two agree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

VERSIONS_DIR = Path(__file__).with_name("migrations") / "versions"


@cache
def known_revisions() -> tuple[str, ...]:
    names = (p.name for p in VERSIONS_DIR.iterdir())
    return tuple(sorted(m.group(1) for n in names if (m := re.match(r"^(\d{4})_\w+\.py$", n))))


def head_revision() -> str:
    return known_revisions()[-1]


@dataclass(frozen=True)
class SchemaState:
    """Where a database's schema stands against the revisions this build knows."""

    revision: str | None
    has_tables: bool

    @property
    def is_empty(self) -> bool:
        return self.revision is None and not self.has_tables

    @property
    def is_current(self) -> bool:
        return self.revision == head_revision()

    @property
    def is_older(self) -> bool:
        return self.revision in known_revisions() and not self.is_current

    @property
    def is_newer_or_foreign(self) -> bool:
        return not (self.is_empty or self.is_current or self.is_older)
