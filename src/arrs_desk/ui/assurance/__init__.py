"""Assurance: the PCN-wide overview and the links that open a person's record from it."""
