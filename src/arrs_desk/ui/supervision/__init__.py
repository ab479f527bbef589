"""Supervision: the matrix, a person's arrangements and sessions, and the supervision settings."""
