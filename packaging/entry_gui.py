"""The bundle's windowed program (arrs-desk-gui): what the Start-menu shortcut opens; no console window."""

import sys

from arrs_desk.cli import main

if __name__ == "__main__":
    # Same parser as the console program, so `arrs-desk-gui --database PATH` works from a shortcut.
    sys.exit(main())
