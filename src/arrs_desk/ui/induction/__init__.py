"""Induction: the overview, the per-person checklist, its item dialogs and the template editor."""
