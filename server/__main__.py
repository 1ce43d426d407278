"""`python -m server` is `digiscript-server`."""

import sys

from server.cli import main

sys.exit(main())
