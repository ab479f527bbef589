"""Administration: practices and employers, roles, user accounts, retention and backups."""
