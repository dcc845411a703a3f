"""`python -m gdtui`: the same as the `gdtui` command."""

import sys

from gdtui.cli import entry_point

sys.exit(entry_point())
