"""Logging setup: everything goes to stderr so `--json` keeps stdout to one object."""

from __future__ import annotations

import logging
import sys

from app.settings import get_settings


def configure_logging(*, verbose: bool = False) -> None:
    level = (
        logging.DEBUG
        if verbose
        else getattr(logging, get_settings().log_level.upper(), logging.INFO)
    )
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
