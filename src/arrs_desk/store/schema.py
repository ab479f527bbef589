"""The schema revisions this build of ARRS Desk knows, read from the migration file names.

Listing a folder is far cheaper than loading Alembic's script machinery, so opening a database
needs one query and one directory listing. Revision files are named `NNNN_description.py` with
`revision = "NNNN"`; a test checks the two agree.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

VERSIONS_DIR = Path(__file__).with_name("migrations") / "versions"


@cache
def known_revisions() -> tuple[str, ...]:
    names = (p.name for p in VERSIONS_DIR.iterdir())
    return tuple(sorted(m.group(1) for n in names if (m := re.match(r"^(\d{4})_\w+\.py$", n))))


def head_revision() -> str:
    return known_revisions()[-1]
