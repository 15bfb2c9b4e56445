"""English: the same day/month/year formats as Vietnamese, never Django's "Dec. 2, 2026" or month/day/year."""

from giamngheo.formats.shared import *  # noqa: F403
