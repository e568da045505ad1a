"""`python -m atlas`."""

import sys

from .cli import main

sys.exit(main())
