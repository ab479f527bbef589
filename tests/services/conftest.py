"""Fixtures for the account tests (sign-in safety, two-step sign-in)."""

from __future__ import annotations

import pytest

ADMIN_PASSWORD = "correct horse battery staple"


@pytest.fixture
def cheap_argon2(monkeypatch):
    """Argon2 at its cheapest: these tests count verifications and codes, they do not time them."""
    from argon2 import PasswordHasher

    from arrs_desk.services import account_safety

    monkeypatch.setattr(account_safety, "hasher", lambda: PasswordHasher(time_cost=1, memory_cost=64, parallelism=1))


@pytest.fixture
def first_admin(workspace):
    """The database's first administrator, Adaeze Admin (admin.one), whose password is ADMIN_PASSWORD."""
    return workspace.accounts.create_first_administrator(username="admin.one", display_name="Adaeze Admin",
                                                         password=ADMIN_PASSWORD)
