"""The staff list and the staff record editor."""
