"""Storage: SQLModel tables, engine and sessions, and schema migrations.

Only the services package imports this; views never do.
"""
