"""The schema revision this build of ARRS Desk writes.

Kept as a constant so that opening a database needs one cheap query rather than Alembic's
script machinery; a test checks it against the newest migration file.
"""

HEAD_REVISION = "0001"

# Every revision this build knows, oldest first; a database at any of them can be upgraded.
KNOWN_REVISIONS = ("0001",)
