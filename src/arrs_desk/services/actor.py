"""The person on whose behalf a service call runs."""

from __future__ import annotations

from dataclasses import dataclass, field

from arrs_desk.domain.permissions import AccessRole


@dataclass(frozen=True, slots=True)
class Actor:
    user_id: int | None
    username: str
    display_name: str
    roles: frozenset[str] = field(default_factory=frozenset)
    staff_id: int | None = None
    sole_user: bool = False  # single-user mode: the one person on this PC looks after everyone

    def has(self, role: AccessRole) -> bool:
        return role in self.roles

    @property
    def is_system(self) -> bool:
        return self.user_id is None


SYSTEM = Actor(None, "system", "ARRS Desk (system)", frozenset({AccessRole.ADMINISTRATOR.value}))
"""Used by the command line, demo data and first-run setup, and recorded as such in the audit trail."""
