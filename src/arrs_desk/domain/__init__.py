"""Domain rules: plain Python, free of Qt and of the database, tested without a GUI."""
