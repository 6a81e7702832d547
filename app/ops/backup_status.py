"""The last scheduled backup's record, `last-success.json` in the backup dir.

Written by the schedule (app/ops/backup_schedule.py) after a backup was made, verified and
copied; read by the metrics (`chalk_backup_last_success_timestamp_seconds`) at scrape time.
Apart from the schedule so that every process serving metrics (the app, the workers, the
CLI) can read it without importing the backup machinery (Alembic and the storage clients).
"""

from __future__ import annotations

import json
import os
from datetime import datetime
from pathlib import Path
from typing import Any

STATUS_FILE = "last-success.json"


def write_status(directory: Path, *, moment: datetime, archive: Path, s3_key: str | None) -> None:
    status = {
        "time": moment.isoformat(),
        "archive": archive.name,
        "bytes": archive.stat().st_size,
        "s3_key": s3_key,
    }
    partial = directory / f".{STATUS_FILE}.partial"
    partial.write_text(json.dumps(status))
    os.replace(partial, directory / STATUS_FILE)


def read_status(directory: Path) -> dict[str, Any] | None:
    try:
        return json.loads((directory / STATUS_FILE).read_text())
    except (OSError, ValueError):
        return None


def last_success(directory: Path) -> datetime | None:
    status = read_status(directory)
    if status is None:
        return None
    try:
        return datetime.fromisoformat(status["time"])
    except (KeyError, TypeError, ValueError):
        return None
