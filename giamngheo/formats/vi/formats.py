"""Vietnamese: the shared day/month/year formats; numbers as Django writes them for Vietnamese (1.500.000)."""

from giamngheo.formats.shared import *  # noqa: F403
