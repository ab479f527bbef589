"""The bundle's console program (arrs-desk): the full command line, including --self-check."""

import sys

from arrs_desk.cli import main

if __name__ == "__main__":
    sys.exit(main())
