"""Versions of a gallery item: a refinement, a code edit, a re-render in another quality or
aspect, or new values make a new version of the same item instead of another card.

A video with no other versions is an item of its own (`videos.item_id` NULL). The first job
that makes a new version of it (`jobs.item_id`) opens the item: a `video_items` row whose id is
the first video's id, pointing at the current version. Each version finished joins the item
with the next number and becomes current; `make_current` takes an earlier one back (revert).

Title and visibility are the item's: every version has the same (the gallery's rename and
sharing change them all). The share link's token is held by one version, the one its link
shows; `share_version` moves it, so a link sent to a class keeps working and shows the version
the owner chose, whichever one is current.

A fresh job (not asked to be a version) that repeats the owner's prompt (for code, the same
code) joins the owner's newest item with it, so generating again never adds another card; a
video identical to a version its item has (the same stored render) adds no version: that
version becomes current (`add_video`, where every finished job's video is recorded).

One version can be deleted alone (`delete_version`); the item's current version and share
link move to one that remains, and the last version takes the item with it.

Plain functions with keyword-only arguments (no Streamlit here); a video of another owner is
not found (`owner_id` None: any owner, for admins).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, exists, func, or_, select, update
from sqlalchemy.orm import Session

from app.cache import KEY_PATTERN, RenderCache
from app.db.engine import session_scope
from app.db.models import LESSON_GENERATOR, GalleryItem, Job, User, Video, new_id, utcnow
from app.description import Description
from app.errors import ChalkError, not_found_message
from app.events import add_event
from app.generators.offline.catalogue import registry
from app.settings import Settings
from app.storage import get_storage
from app.text import storable

FIRST_CHANGE = "First version"
"""What the history says of an item's first version."""
AGAIN_CHANGE = "Generated again from the same prompt"
"""What the history says of a version a fresh job with the item's prompt made."""
NOT_SHARED = "This video is private; choose who can watch it first, then pick the version."
GONE = "The video to change no longer exists; it may have been deleted in another tab."

ITEM_KEY: ColumnElement[str] = func.coalesce(Video.item_id, Video.id)
"""The item a video row belongs to: its item's id, or its own id when it has no versions."""


class VersionNotFound(LookupError):
    """No video with this id that the caller owns."""


@dataclass(frozen=True)
class Version:
    """One version of an item, as the history and compare views show it."""

    video_id: str
    job_id: str
    version: int
    created_at: datetime
    change: str
    quality: str
    aspect: str
    code: str | None
    storage_key: str
    thumbnail_key: str
    duration_s: float
    description: Description | None
    current: bool
    shared: bool
    """True for the version the item's share link shows."""


@dataclass(frozen=True)
class ItemFacts:
    """What a card needs to know about its item beyond the current version's row."""

    versions: int = 1
    share_token: str | None = None
    shared_version: int | None = None


def in_item(key: str) -> ColumnElement[bool]:
    """The filter for the version rows of item `key` (its first video's id is the key)."""
    return or_(Video.item_id == key, Video.id == key)


def is_current() -> ColumnElement[bool]:
    """The filter for the rows the gallery shows: each item's current version."""
    return or_(
        Video.item_id.is_(None),
        exists().where(GalleryItem.id == Video.item_id, GalleryItem.current_video_id == Video.id),
    )


def on_its_link() -> ColumnElement[bool]:
    """The filter for the one version of each item that others see: the one its link shows
    (a video with no other versions is that version itself)."""
    return or_(Video.item_id.is_(None), Video.share_token.is_not(None))


def item_facts(session: Session, keys: list[str]) -> dict[str, ItemFacts]:
    """Item key → how many versions it has and which of them holds its share link."""
    if not keys:
        return {}
    rows = session.execute(
        select(ITEM_KEY, Video.version, Video.share_token).where(ITEM_KEY.in_(keys))
    ).all()
    counts: dict[str, int] = {}
    shared: dict[str, tuple[str, int]] = {}
    for key, version, token in rows:
        counts[key] = counts.get(key, 0) + 1
        if token:
            shared[key] = (token, version)
    return {
        key: ItemFacts(
            versions=counts[key],
            share_token=shared[key][0] if key in shared else None,
            shared_version=shared[key][1] if key in shared else None,
        )
        for key in counts
    }


def _owned(session: Session, video_id: str, owner_id: int | None) -> Video:
    video = session.get(Video, storable(video_id)[:32])
    if video is None or (owner_id is not None and video.owner_id != owner_id):
        raise VersionNotFound(not_found_message("video", video_id))
    return video


def open_item(session: Session, *, video_id: str, owner_id: int) -> str:
    """The item a new version of `video_id` joins (made on the first new version), for
    `submit`; ChalkError "validation" when the owner has no such video. The caller holds the
    owner's row lock (submit does), so two submits never make the same item twice."""
    video = session.get(Video, storable(video_id)[:32])
    if video is None or video.owner_id != owner_id:
        raise ChalkError("validation", GONE)
    key = video.item_id or video.id
    if session.get(GalleryItem, key) is None:
        session.add(GalleryItem(id=key, owner_id=owner_id, current_video_id=video.id))
        video.item_id = key
    return key


def prompt_key(prompt: str | None) -> str:
    """A prompt as the same-prompt rule compares it: spacing and case do not count."""
    return " ".join((prompt or "").split()).casefold()


def add_video(session: Session, job: Job, video: Video) -> None:
    """Record the finished job's video (not yet added): the one place a finished job's video
    becomes a gallery item's version, whichever front door submitted the job.

    A job asked to be a new version joins its item; a fresh one joins the owner's newest item
    made from the same prompt (a code job: the same code), so generating again, or a cache hit,
    never adds another card. A video identical to a version its item has adds no version:
    that version becomes current and the job repeats it (`job.repeat_of`)."""
    # Finishing jobs of one owner take turns, so two with the same prompt (a batch) find each
    # other's video instead of both starting an item.
    session.execute(
        update(User).where(User.id == job.owner_id).values(username=User.username),
        execution_options={"synchronize_session": False},
    )
    earlier = None if job.item_id else _earlier_video(session, job)
    key = job.item_id or ((earlier.item_id or earlier.id) if earlier is not None else None)
    if key is not None:
        identical = session.scalars(
            select(Video)
            .where(
                in_item(key),
                Video.owner_id == job.owner_id,
                Video.storage_key == video.storage_key,
            )
            .order_by(Video.version.desc())
            .limit(1)
        ).first()
        if identical is not None:
            job.repeat_of = identical.id
            _make_current(session, identical)
            return
    if earlier is not None:
        job.item_id = open_item(session, video_id=earlier.id, owner_id=job.owner_id)
        job.change_note = job.change_note or AGAIN_CHANGE
    join_item(session, job, video)
    session.add(video)


def _earlier_video(session: Session, job: Job) -> Video | None:
    """The owner's newest video whose job had the same prompt as `job` (a code job: the same
    code); a lesson's joined video is not one (its prompt is the lesson's title)."""
    made_by = (
        select(Video, Job.prompt)
        .join(Job, Video.job_id == Job.id)
        .where(Video.owner_id == job.owner_id, Job.generator != LESSON_GENERATOR)
        .order_by(Video.created_at.desc(), Video.id)
    )
    if job.generator == "user":
        return session.scalars(made_by.where(Job.code == job.code).limit(1)).first()
    wanted = prompt_key(job.prompt)
    if not wanted:
        return None
    # Spacing and case are compared here, not in SQL (which cannot fold whitespace portably).
    for video, prompt in session.execute(made_by.where(Job.prompt.is_not(None))):
        if prompt_key(prompt) == wanted:
            return video
    return None


def join_item(session: Session, job: Job, video: Video) -> None:
    """Make `video` (the finished job's, not yet added) the newest, current version of the
    job's item, with the item's title and visibility; a video of a job that makes no version
    (or whose item was deleted meanwhile) stays an item of its own."""
    if not job.item_id:
        return
    # The update first: it locks the item's row, so versions finishing together number on.
    bumped = session.execute(
        update(GalleryItem)
        .where(GalleryItem.id == job.item_id, GalleryItem.owner_id == job.owner_id)
        .values(versions=GalleryItem.versions + 1, updated_at=utcnow()),
        execution_options={"synchronize_session": False},
    )
    if bumped.rowcount != 1:  # type: ignore[attr-defined]
        return
    item = session.get(GalleryItem, job.item_id, populate_existing=True)
    current = session.get(Video, item.current_video_id) if item is not None else None
    if item is None or current is None:
        return
    video.id = video.id or new_id()  # the item points at it before it is flushed
    video.item_id, video.version = item.id, item.versions
    video.title, video.visibility = current.title, current.visibility
    item.current_video_id = video.id


def history(*, settings: Settings, video_id: str, owner_id: int | None) -> list[Version]:
    """Every version of the video's item, newest first; VersionNotFound otherwise."""
    with session_scope(settings) as session:
        video = _owned(session, video_id, owner_id)
        key = video.item_id or video.id
        item = session.get(GalleryItem, key)
        current = item.current_video_id if item is not None else video.id
        rows = session.execute(
            select(Video, Job)
            .join(Job, Video.job_id == Job.id)
            .where(in_item(key))
            .order_by(Video.version.desc(), Video.created_at.desc())
        ).all()
        return [_version(row_video, job, current) for row_video, job in rows]


def _version(video: Video, job: Job, current: str) -> Version:
    return Version(
        video_id=video.id,
        job_id=job.id,
        version=video.version,
        created_at=video.created_at,
        change=job.change_note or (FIRST_CHANGE if video.version == 1 else "New version"),
        quality=job.quality,
        aspect=job.aspect,
        code=job.code,
        storage_key=video.storage_key,
        thumbnail_key=video.thumbnail_key,
        duration_s=video.duration_s,
        description=Description.from_json(video.description),
        current=video.id == current,
        shared=video.share_token is not None,
    )


def make_current(*, settings: Settings, video_id: str, owner_id: int | None) -> int:
    """Make an earlier (or any) version the item's current one: its card and what Create
    shows. The share link does not move. Returns the version's number."""
    with session_scope(settings) as session:
        video = _owned(session, video_id, owner_id)
        _make_current(session, video)
        return video.version


def _make_current(session: Session, video: Video) -> None:
    item = session.get(GalleryItem, video.item_id) if video.item_id else None
    if item is not None:
        item.current_video_id = video.id
        item.updated_at = utcnow()


def share_version(*, settings: Settings, video_id: str, owner_id: int | None) -> int:
    """Make the item's share link show this version (the link itself stays the same);
    ChalkError when the item is private (it has no link yet). Returns the version's number."""
    with session_scope(settings) as session:
        video = _owned(session, video_id, owner_id)
        key = video.item_id or video.id
        holder = session.scalar(select(Video).where(in_item(key), Video.share_token.is_not(None)))
        if holder is None or video.visibility == "private":
            raise ChalkError("validation", NOT_SHARED)
        if holder.id != video.id:
            token, holder.share_token = holder.share_token, None
            session.flush()  # the token is unique: free it before the other version takes it
            video.share_token = token
        return video.version


def versions_of(session: Session, video: Video) -> list[Video]:
    """Every version row of `video`'s item (itself when it has none)."""
    key = video.item_id or video.id
    return list(session.scalars(select(Video).where(in_item(key))))


def drop_item(session: Session, video: Video) -> list[Video]:
    """Delete the item of `video` with every version; returns the rows deleted (their media
    is the caller's to remove)."""
    rows = versions_of(session, video)
    for row in rows:
        session.delete(row)
    if video.item_id:
        item = session.get(GalleryItem, video.item_id)
        if item is not None:
            session.delete(item)
    return rows


def delete_version(*, settings: Settings, video_id: str, owner_id: int | None) -> int:
    """Delete one version of an item; returns its number. The newest remaining version becomes
    current if this one was, and takes the share link if this one held it (a link sent to a
    class keeps working); deleting the last version deletes the item. Media goes with the
    last video that refers to it. VersionNotFound for a video the caller does not own."""
    with session_scope(settings) as session:
        video = _owned(session, video_id, owner_id)
        number = video.version
        others = sorted(
            (row for row in versions_of(session, video) if row.id != video.id),
            key=lambda row: (row.version, row.created_at),
            reverse=True,
        )
        add_event(
            session, "video_deleted", user_id=video.owner_id, video_id=video.id, job_id=video.job_id
        )
        if not others:
            deleted = drop_item(session, video)
        else:
            item = session.get(GalleryItem, video.item_id) if video.item_id else None
            current = others[0]
            if item is not None and item.current_video_id != video.id:
                current = session.get(Video, item.current_video_id) or current
            _make_current(session, current)
            token, video.share_token = video.share_token, None
            if token:
                session.flush()  # the token is unique: free it before the other version takes it
                current.share_token = token
            session.delete(video)
            deleted = [video]
        session.flush()
        unused = unused_media(session, deleted)
    remove_media(settings, unused)
    return number


def unused_media(session: Session, deleted: list[Video]) -> list[tuple[str, str]]:
    """The (video, thumbnail) keys of the deleted rows that no remaining video refers to
    (identical renders share one stored object)."""
    media = {(row.storage_key, row.thumbnail_key) for row in deleted}
    return [
        (storage_key, thumbnail_key)
        for storage_key, thumbnail_key in media
        if not session.scalar(
            select(func.count()).select_from(Video).where(Video.storage_key == storage_key)
        )
    ]


def remove_media(settings: Settings, unused: list[tuple[str, str]]) -> None:
    """Remove media `unused_media` found, after the rows' deletion is committed."""
    storage = get_storage(settings)
    for storage_key, thumbnail_key in unused:
        name = storage_key.removeprefix("renders/").removesuffix(".mp4")
        if KEY_PATTERN.fullmatch(name):
            RenderCache(storage, settings).delete_entry(name)
        else:
            storage.delete(storage_key)
            storage.delete(thumbnail_key)


def values_change(template_id: str, old: dict[str, Any], new: dict[str, Any]) -> str:
    """What "Change the values" changed, in the form's words."""
    template = registry().get(template_id)
    controls = template.controls if template is not None else {}
    changed = [
        controls[name].label if name in controls else name
        for name in new
        if new.get(name) != old.get(name)
    ]
    return "Changed the values: " + ", ".join(changed) if changed else "Rendered the values again"


def summary(version: Version) -> dict[str, Any]:
    """A version as JSON (the API's and CLI's)."""
    return {
        "video_id": version.video_id,
        "job_id": version.job_id,
        "version": version.version,
        "created_at": version.created_at.isoformat(),
        "change": version.change,
        "quality": version.quality,
        "aspect": version.aspect,
        "current": version.current,
        "shared": version.shared,
    }
