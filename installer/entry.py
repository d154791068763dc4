"""Entry script for the frozen (PyInstaller) AlignScope program."""

import sys

from app.main import main

if __name__ == "__main__":
    sys.exit(main())
