"""Services: every read and write the UI and command line make. Free of Qt.

Each call takes the acting person, checks what they may do, validates the input, and writes
the change and its audit entry in one transaction.
"""
