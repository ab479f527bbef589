"""Sign-in accounts, people without accounts who sign things, and the shape of a sign-off."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel

from arrs_desk.store.models.core import Tracked


class UserAccount(Tracked, table=True):
    """A person who signs in. Passwords are stored only as argon2 hashes."""

    __tablename__ = "user_account"

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(max_length=60, unique=True)
    display_name: str = Field(max_length=200)
    staff_id: int | None = Field(default=None, foreign_key="staff.id", index=True)
    roles: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    password_hash: str = Field(max_length=200)
    must_change_password: bool = Field(default=False)
    active: bool = Field(default=True)
    failed_attempts: int = Field(default=0)
    locked_until: datetime | None = Field(default=None)
    last_login_at: datetime | None = Field(default=None)


class ExternalPerson(Tracked, table=True):
    """Someone outside the PCN's accounts who supervises, assesses or signs: a trust supervisor,
    a programme assessor, a GP educator from another practice."""

    __tablename__ = "external_person"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    job_title: str = Field(default="", max_length=120)
    organisation: str = Field(default="", max_length=200)
    register_code: str = Field(default="", max_length=24)
    registration_number: str = Field(default="", max_length=20)
    email: str = Field(default="", max_length=254)
    phone: str = Field(default="", max_length=40)
    active: bool = Field(default=True)


class SignOffFields(SQLModel):
    """Who signed, mixed into every table that holds a sign-off.

    Either `signed_by_user_id` (signed in the app by that person) or `signed_by_external_id`
    (signed on paper or by e-mail by someone without an account, recorded on their behalf by
    `recorded_by_user_id`) is set. The signer's name, role, organisation and registration are
    copied so the record reads as it was signed if the account or external person later changes;
    `received_via` says how a signature recorded on someone's behalf arrived ("paper", "email").
    """

    signed_by_user_id: int | None = Field(default=None, foreign_key="user_account.id")
    signed_by_external_id: int | None = Field(default=None, foreign_key="external_person.id")
    signed_by_name: str = Field(default="", max_length=200)
    recorded_by_user_id: int | None = Field(default=None, foreign_key="user_account.id")
    signed_on: date | None = Field(default=None)
    signed_at: datetime | None = Field(default=None)
    signed_by_role: str = Field(default="", max_length=120)
    signed_by_organisation: str = Field(default="", max_length=200)
    signed_by_registration: str = Field(default="", max_length=40)
    received_via: str = Field(default="", max_length=10)
