"""The palette moved to app/core/palette.py (the fixer in app.core swaps raw colours to its
roles); this name stays so `from app import palette` keeps working."""

from app.core.palette import *  # noqa: F403
