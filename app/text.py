"""Text people type, made storable: what a service stores is what it gives back, on any database.

PostgreSQL refuses NUL bytes in text, and no database can encode a lone UTF-16 surrogate
(Python lets one into a str from undecodable command-line bytes or a JSON "\\ud800" escape).
Nobody means either, so services drop them from free text before storing or searching it.
"""

from __future__ import annotations

import re

_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def storable(text: str) -> str:
    """`text` without NUL bytes and lone surrogates."""
    return _UNSTORABLE.sub("", text)
