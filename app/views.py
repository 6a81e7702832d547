"""View counts of shared videos: how often a video was watched through its link.

The Watch and Embed pages call `count_view` once per viewer session and video (not on every
rerun); the video's owner watching their own link does not count. Counts are the owner's to
see: `view_counts` gives them for the owner's own videos only, and no page shows them to
watchers. Plain functions with keyword-only arguments (no Streamlit here).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from app.db.engine import session_scope
from app.db.models import Video, VideoViews, utcnow
from app.settings import Settings
from app.versions import ITEM_KEY

log = logging.getLogger(__name__)

SHARED = ("school", "link", "public")
"""Visibilities whose views are counted (a private video has no link to watch it by)."""


def count_view(*, settings: Settings, video_id: str, viewer_id: int | None) -> bool:
    """Add one view of a shared video; False when nothing was counted (no such shared video,
    the owner watching their own, or the database failed: a lost count must not break
    watching)."""
    for _ in range(2):
        try:
            with session_scope(settings) as session:
                owner_id = session.scalar(
                    select(Video.owner_id).where(Video.id == video_id, Video.visibility.in_(SHARED))
                )
                if owner_id is None or owner_id == viewer_id:
                    return False
                now = utcnow()
                counted = session.execute(
                    update(VideoViews)
                    .where(VideoViews.video_id == video_id)
                    .values(views=VideoViews.views + 1, last_viewed_at=now)
                )
                if not getattr(counted, "rowcount", 0):
                    session.add(VideoViews(video_id=video_id, views=1, last_viewed_at=now))
            return True
        except IntegrityError:
            continue  # another viewer's first view came in between: count on top of it
        except SQLAlchemyError as exc:
            log.warning("could not count a view: %s", exc.__class__.__name__)
            return False
    return False


def view_counts(*, settings: Settings, owner_id: int, video_ids: Iterable[str]) -> dict[str, int]:
    """Views of the owner's videos among `video_ids` (a video never watched is 0), each with
    the views of the other versions of its gallery item (a link may have shown any of them);
    other owners' videos are left out, so nobody learns the counts of videos not their own."""
    ids = list(dict.fromkeys(video_ids))
    if not ids:
        return {}
    with session_scope(settings) as session:
        owned = dict(
            session.execute(
                select(Video.id, ITEM_KEY).where(Video.id.in_(ids), Video.owner_id == owner_id)
            ).all()
        )
        counts = dict(
            session.execute(
                select(ITEM_KEY, func.sum(VideoViews.views))
                .join(Video, Video.id == VideoViews.video_id)
                .where(ITEM_KEY.in_(set(owned.values())))
                .group_by(ITEM_KEY)
            ).all()
        )
    return {video_id: int(counts.get(key) or 0) for video_id, key in owned.items()}
