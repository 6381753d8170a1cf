"""`python -m server`: see `server.cli`."""

import sys

from .cli import main

sys.exit(main())
