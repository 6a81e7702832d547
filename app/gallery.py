"""Videos as the gallery and watch pages show them: search, filters, pages, titles, sharing.

Plain functions with keyword-only arguments (no Streamlit here). A video belongs to its owner;
every function takes `owner_id` and finds nothing of anyone else's (None: any owner, for
admins). Sharing makes an unguessable token (`secrets.token_urlsafe`) when a video leaves
"private", and making it private again drops it; the watch page finds a video by its token.

Product events of the gallery and watch flows are written here, not by the pages: sharing
records `video_shared` in the same transaction as the change; `record_watched` and
`record_downloaded` are what the pages call when a player opens or a download is pressed.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, and_, func, or_, select, true
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from app import versions
from app.days import day_bounds
from app.db.engine import session_scope
from app.db.models import LIBRARY_VISIBILITIES, TITLE_MAX, VISIBILITIES, Job, User, Video
from app.description import Description
from app.errors import ChalkError, not_found_message
from app.events import add_event
from app.generators.offline.catalogue import registry
from app.search import SearchScope, matching_videos
from app.settings import Settings
from app.text import storable
from app.versions import ItemFacts

log = logging.getLogger(__name__)

PER_PAGE = 12
"""Videos per gallery page."""
SHARE_TOKEN_BYTES = 16
"""Random bytes in a share token (22 URL-safe characters)."""
VISIBILITY_LABELS = {
    "private": "Private",
    "school": "My school",
    "link": "Anyone with the link",
    "public": "Public",
}
"""How each visibility is named to teachers."""
VISIBILITY_HELP = {
    "private": "Only you can watch it.",
    "school": "Everyone who signs in to this Chalk can find it in the Library and open its "
    "link; visitors who are not signed in cannot.",
    "link": "Anyone you send the link to can watch it, without signing in.",
    "public": "Anyone can watch it, and it is listed on the Watch page and in the Library.",
}
"""One sentence per visibility: who can watch a video shared that way."""
SIGNED_IN_VISIBILITIES = ("school", "link", "public")
"""What a signed-in viewer may open by its link."""
VISITOR_VISIBILITIES = ("link", "public")
"""What a visitor (not signed in) may open by its link, or embed."""


class VideoNotFound(LookupError):
    """No video with this id that the caller owns."""


@dataclass(frozen=True)
class VideoItem:
    """One video with what its card, player and share link need."""

    id: str
    job_id: str
    owner_id: int
    title: str
    prompt: str | None
    code: str | None
    template: str | None
    subject: str | None
    generator: str | None
    quality: str
    aspect: str
    duration_s: float
    width: int
    height: int
    size_bytes: int
    storage_key: str
    thumbnail_key: str
    visibility: str
    share_token: str | None
    created_at: datetime
    description: Description | None = None
    owner_name: str = ""
    """The owner's display name (or username); filled where the page shows other owners."""
    remixed_from: str | None = None
    """The video id this one's job remixed (Library → Remix), if any."""
    item_id: str = ""
    """The gallery item this video is a version of (app/versions.py)."""
    version: int = 1
    versions: int = 1
    """How many versions its item has."""
    shared_version: int | None = None
    """The version the item's share link shows (`share_token` is that link's)."""


@dataclass(frozen=True)
class VideoPage:
    """One page of a search: the items, how many match in all, and the page numbers."""

    items: list[VideoItem]
    total: int
    page: int
    pages: int
    near_spellings: bool = False
    """True when a search word was matched by a near spelling (app/search.py)."""


@dataclass(frozen=True)
class VideoFilters:
    """What the gallery searches by; empty fields do not filter."""

    text: str = ""
    template: str | None = None
    subject: str | None = None
    visibility: str | None = None
    created_from: date | None = None
    created_to: date | None = None


def template_subjects() -> dict[str, str]:
    """Template id → subject, from the offline catalogue."""
    return {template.id: template.subject for template in registry().values()}


def _item(
    video: Video,
    job: Job,
    subjects: dict[str, str],
    owner: User | None = None,
    facts: ItemFacts | None = None,
) -> VideoItem:
    facts = facts or ItemFacts(share_token=video.share_token, shared_version=video.version)
    return VideoItem(
        id=video.id,
        job_id=job.id,
        owner_id=video.owner_id,
        title=video.title,
        prompt=job.prompt,
        code=job.code,
        template=job.template,
        subject=subjects.get(job.template or ""),
        generator=job.generator_used,
        quality=job.quality,
        aspect=job.aspect,
        duration_s=video.duration_s,
        width=video.width,
        height=video.height,
        size_bytes=video.size_bytes,
        storage_key=video.storage_key,
        thumbnail_key=video.thumbnail_key,
        visibility=video.visibility,
        share_token=facts.share_token,
        created_at=video.created_at,
        description=Description.from_json(video.description),
        owner_name=_name(owner) if owner is not None else "",
        remixed_from=job.remixed_from,
        item_id=video.item_id or video.id,
        version=video.version,
        versions=facts.versions,
        shared_version=facts.shared_version if facts.share_token else None,
    )


def _name(user: User) -> str:
    return user.display_name.strip() or user.username


_Query = TypeVar("_Query", bound=Select)


def _filtered(query: _Query, filters: VideoFilters) -> _Query:
    # The search text is not a filter here: list_videos joins the full-text matches.
    if filters.template:
        query = query.where(Job.template == storable(filters.template))
    if filters.subject:
        ids = [tid for tid, subject in template_subjects().items() if subject == filters.subject]
        query = query.where(Job.template.in_(ids))
    if filters.visibility:
        query = query.where(Video.visibility == storable(filters.visibility))
    start, end = day_bounds(filters.created_from, filters.created_to)
    if start is not None:
        query = query.where(Video.created_at >= start)
    if end is not None:
        query = query.where(Video.created_at < end)
    return query


def _owned_by(owner_id: int | None) -> ColumnElement[bool]:
    """The filter for `owner_id`'s videos; None (an admin) sees every owner's."""
    return true() if owner_id is None else Video.owner_id == owner_id


def _may_change(video: Video | None, owner_id: int | None) -> bool:
    return video is not None and (owner_id is None or video.owner_id == owner_id)


def list_videos(
    *,
    settings: Settings,
    owner_id: int | None,
    filters: VideoFilters | None = None,
    page: int = 1,
    per_page: int = PER_PAGE,
) -> VideoPage:
    """The owner's videos matching `filters`, one page of them and the total: newest first,
    or best match first when there is search text (app/search.py)."""
    filters = filters or VideoFilters()
    per_page = max(1, per_page)
    base = _filtered(
        select(Video, Job)
        .join(Job, Video.job_id == Job.id)
        .where(_owned_by(owner_id), versions.is_current()),
        filters,
    )
    scope = SearchScope(owner_id=owner_id)
    return _page(settings, base, filters.text, scope, page, per_page)


def _page(
    settings: Settings, base: Any, text: str, scope: SearchScope, page: int, per_page: int
) -> VideoPage:
    """One page of `base` (rows of Video, Job and, for the Library, the owner), newest first,
    or best match first for search text over `scope`, and the total."""
    order: tuple[Any, ...] = (Video.created_at.desc(), Video.id)
    near_spellings = False
    subjects = template_subjects()
    with session_scope(settings) as session:
        if storable(text).strip():
            matches = matching_videos(session, query=text, scope=scope)
            hits = matches.query.subquery("hits")
            base = base.join(hits, hits.c.video_id == Video.id)
            order = (hits.c.rank.desc(), *order)
            near_spellings = matches.near_spellings
        total = session.scalar(select(func.count()).select_from(base.subquery())) or 0
        pages = max(1, -(-total // per_page))
        page = min(max(1, page), pages)
        rows = session.execute(
            base.order_by(*order).limit(per_page).offset((page - 1) * per_page)
        ).all()
        facts = versions.item_facts(session, [video.item_id or video.id for video, *_ in rows])
        items = [
            _item(video, job, subjects, owner[0] if owner else None, facts.get(video.item_id or ""))
            for video, job, *owner in rows
        ]
    return VideoPage(
        items=items, total=total, page=page, pages=pages, near_spellings=near_spellings
    )


def get_video(*, settings: Settings, video_id: str, owner_id: int | None) -> VideoItem:
    """One of the owner's videos; VideoNotFound otherwise."""
    with session_scope(settings) as session:
        row = session.execute(
            select(Video, Job)
            .join(Job, Video.job_id == Job.id)
            .where(Video.id == storable(video_id), _owned_by(owner_id))
        ).first()
        if row is None:
            raise VideoNotFound(not_found_message("video", video_id))
        key = row[0].item_id or row[0].id
        facts = versions.item_facts(session, [key]) if row[0].item_id else {}
        return _item(row[0], row[1], template_subjects(), facts=facts.get(key))


def job_code(*, settings: Settings, job_id: str, owner_id: int | None) -> str | None:
    """The code a job rendered (or last tried), for the editor; None if it has none."""
    with session_scope(settings) as session:
        job = session.get(Job, job_id)
        if job is None or (owner_id is not None and job.owner_id != owner_id):
            return None
        if job.code:
            return job.code
        for attempt in reversed(job.attempts or []):
            if attempt.get("code"):
                return str(attempt["code"])
        return None


def rename(*, settings: Settings, video_id: str, owner_id: int | None, title: str) -> str:
    """Give a video a new title (whitespace collapsed); returns the title stored."""
    clean = " ".join(storable(title).split())
    if not clean:
        raise ChalkError("validation", "The title is empty; type a name for the video.")
    if len(clean) > TITLE_MAX:
        raise ChalkError(
            "validation", f"The title is longer than {TITLE_MAX} characters; shorten it."
        )
    with session_scope(settings) as session:
        video = session.get(Video, video_id)
        if video is None or not _may_change(video, owner_id):
            raise VideoNotFound(not_found_message("video", video_id))
        for version in versions.versions_of(session, video):
            version.title = clean
    return clean


def set_visibility(
    *, settings: Settings, video_id: str, owner_id: int | None, visibility: str
) -> str | None:
    """Make a video private, shared with the school, shared by link, or public; returns its
    share token (None when private).

    Visibility is the item's (every version of it changes); the link shows one version, the
    one named here when the link is made (app/versions.py moves it). Making a video private
    drops its token, so links sent earlier stay dead if it is shared again (a new token is
    made); switching between "school", "link" and "public" keeps the
    link (a school video's link opens only for signed-in users: `find_shared`). A change to
    a shared visibility records a `video_shared` event (for the video's owner) in the same
    transaction.
    """
    if visibility not in VISIBILITIES:
        raise ChalkError(
            "validation", f"Unknown visibility '{visibility}'; use {', '.join(VISIBILITIES)}."
        )
    for _ in range(3):
        try:
            with session_scope(settings) as session:
                video = session.get(Video, video_id)
                if video is None or not _may_change(video, owner_id):
                    raise VideoNotFound(not_found_message("video", video_id))
                if visibility != "private" and visibility != video.visibility:
                    add_event(
                        session,
                        "video_shared",
                        user_id=video.owner_id,
                        video_id=video.id,
                        job_id=video.job_id,
                        template=session.scalar(select(Job.template).where(Job.id == video.job_id)),
                    )
                # Visibility is the item's: every version has the same. The link is held by
                # one version (app/versions.py); a first link shows the version named here.
                rows = versions.versions_of(session, video)
                holder = next((row for row in rows if row.share_token), None)
                for row in rows:
                    row.visibility = visibility
                    if visibility == "private":
                        row.share_token = None
                if visibility == "private":
                    return None
                if holder is None:
                    holder = video
                    video.share_token = secrets.token_urlsafe(SHARE_TOKEN_BYTES)
                return holder.share_token
        except IntegrityError:  # pragma: no cover - a 128-bit token collided; draw again
            continue
    raise ChalkError("internal", "Chalk could not make a share link; please try again.")


def _record_view(kind: str, settings: Settings, video_id: str, user_id: int | None) -> bool:
    """Record a watch or download of an existing video; False when there is none (or the
    database failed: a lost event must not break watching)."""
    try:
        with session_scope(settings) as session:
            row = session.execute(
                select(Video.job_id, Job.template, Job.quality)
                .join(Job, Video.job_id == Job.id)
                .where(Video.id == video_id)
            ).first()
            if row is None:
                return False
            add_event(
                session,
                kind,
                user_id=user_id,
                video_id=video_id,
                job_id=row.job_id,
                template=row.template,
                quality=row.quality,
            )
    except SQLAlchemyError as exc:
        log.warning("could not record a %s event: %s", kind, exc.__class__.__name__)
        return False
    return True


def record_watched(*, settings: Settings, video_id: str, user_id: int | None) -> bool:
    """A viewer opened the video's player (`user_id` None: a visitor on a shared link).

    Pages call it once per session and video, not on every rerun.
    """
    return _record_view("video_watched", settings, video_id, user_id)


def record_downloaded(*, settings: Settings, video_id: str, user_id: int | None) -> bool:
    """A viewer pressed Download on the video."""
    return _record_view("video_downloaded", settings, video_id, user_id)


def _clean_token(token: str) -> str | None:
    token = storable(token).strip()
    return token if token and len(token) <= 64 else None


def find_shared(
    *, settings: Settings, token: str, viewer_id: int | None = None
) -> VideoItem | None:
    """The video behind a share token if the viewer may watch it; None otherwise.

    Visitors (`viewer_id` None) see videos shared by link or public; a signed-in viewer also
    sees school ones. A private video and a wrong token look the same, so a link never
    reveals that a private video exists.
    """
    clean = _clean_token(token)
    if clean is None:
        return None
    allowed = SIGNED_IN_VISIBILITIES if viewer_id is not None else VISITOR_VISIBILITIES
    with session_scope(settings) as session:
        row = session.execute(
            select(Video, Job, User)
            .join(Job, Video.job_id == Job.id)
            .join(User, Video.owner_id == User.id)
            .where(Video.share_token == clean, Video.visibility.in_(allowed))
        ).first()
        if row is None:
            return None
        return _item(row[0], row[1], template_subjects(), row[2])


def needs_sign_in(*, settings: Settings, token: str) -> bool:
    """True when the token is a school video's: a visitor is asked to sign in rather than
    told the link is dead (the owner chose to share it, so saying so reveals nothing)."""
    clean = _clean_token(token)
    if clean is None:
        return False
    with session_scope(settings) as session:
        found = session.scalar(
            select(Video.id).where(Video.share_token == clean, Video.visibility == "school")
        )
    return found is not None


def list_library(
    *,
    settings: Settings,
    text: str = "",
    page: int = 1,
    per_page: int = PER_PAGE,
) -> VideoPage:
    """Every teacher's school and public videos (never private or link-only ones), with
    their owners' names: newest first, or best match first when there is search text
    (app/search.py over the same scope). The Library shows them to signed-in users only."""
    per_page = max(1, per_page)
    base = (
        select(Video, Job, User)
        .join(Job, Video.job_id == Job.id)
        .join(User, Video.owner_id == User.id)
        # One card per item: the version its link shows.
        .where(Video.visibility.in_(LIBRARY_VISIBILITIES), versions.on_its_link())
    )
    scope = SearchScope(visibilities=LIBRARY_VISIBILITIES)
    return _page(settings, base, text, scope, page, per_page)


def remix_source(*, settings: Settings, video_id: str, viewer_id: int) -> VideoItem:
    """A video the viewer may remix: their own, or one in the Library (school or public);
    VideoNotFound otherwise (a private or link-only video of someone else is not found)."""
    with session_scope(settings) as session:
        row = session.execute(
            select(Video, Job, User)
            .join(Job, Video.job_id == Job.id)
            .join(User, Video.owner_id == User.id)
            .where(
                Video.id == storable(video_id),
                or_(
                    Video.owner_id == viewer_id,
                    # Of a colleague's item, the version its link shows.
                    and_(Video.visibility.in_(LIBRARY_VISIBILITIES), versions.on_its_link()),
                ),
            )
        ).first()
        if row is None:
            raise VideoNotFound(not_found_message("video", video_id))
        return _item(row[0], row[1], template_subjects(), row[2])


def remix_credit(*, settings: Settings, item: VideoItem, viewer_id: int | None) -> str | None:
    """The sentence crediting the video a remix came from, or None if it is not a remix.

    It names the original's title and owner only when the viewer may see that video (their
    own, public, or school for a signed-in viewer); otherwise, or once it is deleted, it
    says only that the video is a remix.
    """
    if not item.remixed_from:
        return None
    allowed = ("public", "school") if viewer_id is not None else ("public",)
    with session_scope(settings) as session:
        row = session.execute(
            select(Video.title, User)
            .join(User, Video.owner_id == User.id)
            .where(
                Video.id == item.remixed_from,
                or_(Video.owner_id == (viewer_id or -1), Video.visibility.in_(allowed)),
            )
        ).first()
        if row is None:
            return "Remixed from another teacher's video."
        title, owner = row
        return f"Remixed from “{title}” by {_name(owner)}."


def list_public(*, settings: Settings, limit: int = 12) -> list[VideoItem]:
    """Public videos of every teacher, newest first."""
    subjects = template_subjects()
    with session_scope(settings) as session:
        rows = session.execute(
            select(Video, Job)
            .join(Job, Video.job_id == Job.id)
            .where(Video.visibility == "public", Video.share_token.is_not(None))
            .order_by(Video.created_at.desc(), Video.id)
            .limit(limit)
        ).all()
        return [_item(video, job, subjects) for video, job in rows]


def recent_prompts(*, settings: Settings, owner_id: int, limit: int = 5) -> list[str]:
    """The user's latest distinct prompts, newest first."""
    with session_scope(settings) as session:
        rows = session.execute(
            select(Job.prompt, func.max(Job.created_at).label("latest"))
            .where(Job.owner_id == owner_id, Job.prompt.is_not(None), Job.prompt != "")
            .group_by(Job.prompt)
            .order_by(func.max(Job.created_at).desc())
            .limit(limit)
        ).all()
    return [prompt for prompt, _latest in rows if prompt]


def used_templates(*, settings: Settings, owner_id: int | None) -> list[str]:
    """Template ids of the owner's videos (for the gallery's template filter)."""
    with session_scope(settings) as session:
        rows = session.scalars(
            select(Job.template)
            .join(Video, Video.job_id == Job.id)
            .where(_owned_by(owner_id), Job.template.is_not(None))
            .distinct()
        ).all()
    return sorted(template for template in rows if template)
