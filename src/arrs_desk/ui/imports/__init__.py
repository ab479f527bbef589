"""Importing staff from a spreadsheet: the wizard and its preview model."""
