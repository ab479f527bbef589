"""Professional registration numbers: normalising and checking them against the register's format."""

from __future__ import annotations

from arrs_desk.domain.catalogue import Register


def normalise_registration_number(raw: str) -> str:
    """Trim, upper-case and drop inner spaces, as people type numbers in many ways."""
    return "".join(raw.split()).upper()


def registration_problem(register: Register, raw_number: str) -> str | None:
    """Why a number is not valid for the register, or None when it is."""
    number = normalise_registration_number(raw_number)
    if not number:
        return f"Enter the {register.regulator} registration number ({register.expected})."
    if not register.matches(number):  # the regulator, not the register's name ("GPhC register: pharmacists")
        return f"'{raw_number.strip()}' is not a {register.regulator} registration number. Expected {register.expected}."
    return None
