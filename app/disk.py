"""Free space on the data disk: new jobs and renders are refused before it fills.

A render writes its work files and video under the data dir (and the local media store keeps
its files there too); one that runs the disk full fails late and leaves others without room.
Refusing work below `settings.min_free_disk_mb` keeps that space for the jobs already running.
"""

from __future__ import annotations

import logging
import shutil
from dataclasses import dataclass

from app.errors import ChalkError
from app.settings import Settings

log = logging.getLogger(__name__)

MB = 1024 * 1024
DISK_FULL_MESSAGE = (
    "Chalk is running out of storage space and cannot make new videos right now; "
    "please tell your administrator."
)


@dataclass(frozen=True)
class DiskSpace:
    """Free and total megabytes on the disk that holds the data dir."""

    free_mb: int
    total_mb: int


def disk_space(settings: Settings) -> DiskSpace:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    usage = shutil.disk_usage(settings.data_dir)
    return DiskSpace(free_mb=usage.free // MB, total_mb=usage.total // MB)


def require_free_space(settings: Settings) -> None:
    """Raise ChalkError("internal") with DISK_FULL_MESSAGE below `min_free_disk_mb` free."""
    space = disk_space(settings)
    if space.free_mb < settings.min_free_disk_mb:
        log.error(
            "only %d MB free in %s, below CHALK_MIN_FREE_DISK_MB=%d: refusing new work",
            space.free_mb,
            settings.data_dir,
            settings.min_free_disk_mb,
        )
        raise ChalkError(
            "internal",
            DISK_FULL_MESSAGE,
            detail=f"{space.free_mb} MB free in {settings.data_dir}",
        )
