"""Exports: full data export and a person's record bundle."""
