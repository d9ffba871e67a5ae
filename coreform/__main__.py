"""`python -m coreform`, the same as the `coreform` command."""

import sys

from coreform.cli import main

sys.exit(main())
