"""`python -m crumb`, and `python -m server` in a checkout: the `crumb` command (crumb.cli)."""

import sys

# Absolute on purpose: in a checkout this file also runs as `server.__main__`, and the program
# lives in the installed package `crumb` (the same files, under the name every import uses).
from crumb.cli import main

sys.exit(main())
