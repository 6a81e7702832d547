"""The database tables: users, jobs (with their attempts and state history) and videos.

The database is the source of truth for job state; the queue only carries job ids.
Timestamps are timezone-aware UTC. Enum-like columns are short strings checked by the app
(and by CHECK constraints), so adding a value needs no database-specific enum migration.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

ROLES = ("admin", "teacher")
ACTIVE_STATES = ("queued", "running")
FINAL_STATES = ("succeeded", "failed", "cancelled")
JOB_STATES = ACTIVE_STATES + FINAL_STATES
VISIBILITIES = ("private", "school", "link", "public")
LIBRARY_VISIBILITIES = ("school", "public")
"""Videos every signed-in user may find in the Library and remix."""
TITLE_MAX = 200
"""Characters of a video title (the Video.title column; longer titles are refused or cut)."""


SEARCH_PREFIX = "search_"
"""Prefix of the search index's tables, triggers and functions (migration 0007, app/search.py):
they are not models, and autogenerate must not offer to drop them."""


def in_models(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
    """Alembic's `include_object`: compare everything but the search index's own tables."""
    return not (
        type_ == "table"
        and reflected
        and compare_to is None
        and (name or "").startswith(SEARCH_PREFIX)
    )


def utcnow() -> datetime:
    return datetime.now(UTC)


def new_id() -> str:
    return uuid.uuid4().hex


class UTCDateTime(TypeDecorator[datetime]):
    """Stores UTC and always gives back aware datetimes (SQLite drops the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime; use app.db.models.utcnow()")
        return value.astimezone(UTC) if value is not None else None

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


def _one_of(column: str, values: tuple[str, ...]) -> CheckConstraint:
    allowed = ", ".join(f"'{v}'" for v in values)
    return CheckConstraint(f"{column} IN ({allowed})", name=f"{column}_valid")


# Every constraint gets a predictable name on every backend, so a migration can drop or alter
# it by name (SQLite's batch mode rebuilds tables and needs names to find constraints).
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class User(Base):
    __tablename__ = "users"
    __table_args__ = (_one_of("role", ROLES),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(128), default="")
    email: Mapped[str | None] = mapped_column(String(256), unique=True)
    password_hash: Mapped[str] = mapped_column(String(256), default="")
    role: Mapped[str] = mapped_column(String(16), default="teacher")
    # A disabled user cannot sign in (and a signed-in session ends at its next click).
    disabled: Mapped[bool] = mapped_column(default=False)
    # Per-user quota overrides; NULL means the role's quota from the settings.
    max_concurrent_jobs: Mapped[int | None] = mapped_column(Integer)
    daily_job_quota: Mapped[int | None] = mapped_column(Integer)
    monthly_render_minutes_quota: Mapped[int | None] = mapped_column(Integer)
    monthly_llm_tokens_quota: Mapped[int | None] = mapped_column(Integer)
    submits_per_minute_quota: Mapped[int | None] = mapped_column(Integer)
    queued_jobs_quota: Mapped[int | None] = mapped_column(Integer)
    # Personal defaults for the Create page: {"quality", "aspect", "generator"}.
    preferences: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Sessions signed in before this moment are signed out (a changed password ends them).
    password_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Written into the sign-in cookie; a cookie with an older number no longer signs in.
    # Sign-out, disabling and a new password add one, ending every cookie issued before.
    session_version: Mapped[int] = mapped_column(Integer, default=0)
    # When the account's sessions were last ended (with session_version): a school sign-in
    # (whose identity token dates itself) from before it no longer signs in.
    sessions_ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    # The database deletes a user's jobs, videos and events (ON DELETE CASCADE); the ORM
    # must not try to set owner_id to NULL first.
    jobs: Mapped[list[Job]] = relationship(
        back_populates="owner", cascade="all, delete-orphan", passive_deletes=True
    )


class Job(Base):
    __tablename__ = "jobs"
    __table_args__ = (
        _one_of("state", JOB_STATES),
        # "My jobs, newest first" and the per-user active-job count.
        Index("ix_jobs_owner_created", "owner_id", "created_at"),
        Index("ix_jobs_owner_state", "owner_id", "state"),
        # The reconciler's scan of running/queued jobs; analytics by time.
        Index("ix_jobs_state_heartbeat", "state", "heartbeat_at"),
        Index("ix_jobs_created", "created_at"),
        # The dispatcher's scan of jobs waiting for a free slot, oldest first.
        Index("ix_jobs_awaiting_slot", "awaiting_slot", "state", "created_at"),
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    prompt: Mapped[str | None] = mapped_column(Text)
    # Requested generator (auto|offline|llm|user) and what actually produced the code
    # ("offline:<template>", "llm:<model>", "user").
    generator: Mapped[str] = mapped_column(String(16), default="auto")
    generator_used: Mapped[str | None] = mapped_column(String(128))
    template: Mapped[str | None] = mapped_column(String(64))
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    code: Mapped[str | None] = mapped_column(Text)
    quality: Mapped[str] = mapped_column(String(16), default="preview")
    aspect: Mapped[str] = mapped_column(String(8), default="16:9")
    state: Mapped[str] = mapped_column(String(16), default="queued")
    stage: Mapped[str | None] = mapped_column(String(16))
    progress: Mapped[float] = mapped_column(Float, default=0.0)
    error_kind: Mapped[str | None] = mapped_column(String(32))
    error_message: Mapped[str | None] = mapped_column(Text)
    # A no_template job's nearest template ids, offered on the page in place of a dead end.
    error_suggestions: Mapped[list[str] | None] = mapped_column(JSON, default=None)
    # One entry per generate → render attempt: {attempt, code, error_kind, error, seconds, ...}.
    attempts: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    layout_warnings: Mapped[list[str]] = mapped_column(JSON, default=list)
    prompt_tokens: Mapped[int] = mapped_column(Integer, default=0)
    completion_tokens: Mapped[int] = mapped_column(Integer, default=0)
    cache_hit: Mapped[bool] = mapped_column(default=False)
    cancel_requested: Mapped[bool] = mapped_column(default=False)
    # Accepted but held in the database until one of the owner's slots is free (state stays
    # "queued"); app.jobs.dispatch puts it on the queue then.
    awaiting_slot: Mapped[bool] = mapped_column(default=False)
    # How often the reconciler re-queued this job after its worker was lost.
    requeues: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    worker_id: Mapped[str | None] = mapped_column(String(128))
    heartbeat_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The video this job remixes (Library → Remix), for the "Remixed from …" credit. No
    # foreign key: the original may be deleted later, and the credit then names no title.
    remixed_from: Mapped[str | None] = mapped_column(String(32))
    # Narration settings (app/speech/options.py NarrationOptions JSON); None: a silent job.
    narration: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    # The gallery item (video_items.id) this job makes a new version of, and what changed in
    # words ("Rendered in Standard quality"); None: the job's video starts an item of its own.
    # No foreign key: an item deleted while the job runs leaves a job whose video starts anew.
    item_id: Mapped[str | None] = mapped_column(String(32))
    change_note: Mapped[str | None] = mapped_column(Text)
    # The version of its item this job's render was identical to (app/versions.py): that
    # version became current and the job has no video row of its own. No foreign key: the
    # version may be deleted later, and the job then shows no video.
    repeat_of: Mapped[str | None] = mapped_column(String(32))

    owner: Mapped[User] = relationship(back_populates="jobs")
    video: Mapped[Video | None] = relationship(
        back_populates="job", uselist=False, cascade="all, delete-orphan", passive_deletes=True
    )
    repeated: Mapped[Video | None] = relationship(
        primaryjoin="foreign(Job.repeat_of) == Video.id", viewonly=True, uselist=False
    )
    events: Mapped[list[JobEvent]] = relationship(
        back_populates="job",
        order_by="JobEvent.id",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )

    @property
    def shown_video(self) -> Video | None:
        """The job's video: its own, or the version its identical render made current."""
        return self.video or self.repeated


class Video(Base):
    __tablename__ = "videos"
    __table_args__ = (
        _one_of("visibility", VISIBILITIES),
        Index("ix_videos_owner_created", "owner_id", "created_at"),
        Index("ix_videos_visibility_created", "visibility", "created_at"),
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    job_id: Mapped[str] = mapped_column(ForeignKey("jobs.id", ondelete="CASCADE"), unique=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(TITLE_MAX), default="")
    duration_s: Mapped[float] = mapped_column(Float, default=0.0)
    width: Mapped[int] = mapped_column(Integer, default=0)
    height: Mapped[int] = mapped_column(Integer, default=0)
    size_bytes: Mapped[int] = mapped_column(BigInteger, default=0)
    # Media keys are content-addressed by the render cache key, so identical renders share
    # one stored object; it is deleted with the last video that refers to it.
    storage_key: Mapped[str] = mapped_column(String(256), index=True)
    thumbnail_key: Mapped[str] = mapped_column(String(256))
    visibility: Mapped[str] = mapped_column(String(8), default="private")
    share_token: Mapped[str | None] = mapped_column(String(64), unique=True)
    # What the video shows, in words (app/description.py Description.to_json); None for a
    # video made before descriptions existed.
    description: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    # The gallery item this video is a version of (app/versions.py). None: an item of its own
    # (version 1, no other versions yet); the first new version makes the item's row, whose
    # id is this video's id. Title and visibility are the item's: every version has the same.
    # No foreign key: video_items points back at its current video, and a plain column keeps
    # the tables free of a cycle.
    item_id: Mapped[str | None] = mapped_column(String(32), index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    job: Mapped[Job] = relationship(back_populates="video")


class GalleryItem(Base):
    """A gallery item with more than one version: which version is current (the gallery's
    card), and how many versions it has had (the next one's number). Its id is its first
    video's id. The share link is held by one version's `share_token` (the version the owner
    chose to share), so a link keeps working when the current version changes."""

    __tablename__ = "video_items"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    current_video_id: Mapped[str] = mapped_column(String(32))
    versions: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class JobEvent(Base):
    """One state change of a job (analytics reads these)."""

    __tablename__ = "job_events"
    __table_args__ = (Index("ix_job_events_at", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    job_id: Mapped[str] = mapped_column(ForeignKey("jobs.id", ondelete="CASCADE"), index=True)
    state: Mapped[str] = mapped_column(String(16))
    stage: Mapped[str | None] = mapped_column(String(16))
    detail: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    job: Mapped[Job] = relationship(back_populates="events")


# Product events (app.events writes them; app.analytics reads them). Only ids and typed facts:
# no prompt text, code or personal data beyond the user id.
EVENT_KINDS = (
    "sign_in",
    "generate_clicked",
    "job_finished",
    "video_watched",
    "video_downloaded",
    "video_shared",
    "video_deleted",
    "template_picked",
    "help_opened",
)

# SQLite only auto-increments an INTEGER PRIMARY KEY; PostgreSQL gets a 64-bit id.
BigId = BigInteger().with_variant(Integer(), "sqlite")


class UsageEvent(Base):
    """One product event; the analytics fact table (one row per event, indexed by time)."""

    __tablename__ = "usage_events"
    __table_args__ = (
        _one_of("kind", EVENT_KINDS),
        Index("ix_usage_events_at", "at"),
        Index("ix_usage_events_kind_at", "kind", "at"),
        Index("ix_usage_events_user_at", "user_id", "at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    kind: Mapped[str] = mapped_column(String(32))
    # Events outlive deleted users and jobs: the user id is cleared, job/video ids are kept
    # as plain values (no foreign key) so history stays countable.
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    job_id: Mapped[str | None] = mapped_column(String(32))
    video_id: Mapped[str | None] = mapped_column(String(32))
    # generate_clicked: the generator asked for; job_finished: what produced the code
    # ("offline:<template>", "llm:<model>", "user").
    generator: Mapped[str | None] = mapped_column(String(128))
    template: Mapped[str | None] = mapped_column(String(64))
    quality: Mapped[str | None] = mapped_column(String(16))
    state: Mapped[str | None] = mapped_column(String(16))
    error_kind: Mapped[str | None] = mapped_column(String(32))
    render_s: Mapped[float | None] = mapped_column(Float)
    queue_wait_s: Mapped[float | None] = mapped_column(Float)
    attempts: Mapped[int | None] = mapped_column(Integer)
    cache_hit: Mapped[bool | None] = mapped_column()
    prompt_tokens: Mapped[int | None] = mapped_column(Integer)
    completion_tokens: Mapped[int | None] = mapped_column(Integer)


class Feedback(Base):
    """A teacher's thumbs up (1) or down (0) on a video, with an optional comment.

    One vote per user and video (voting again replaces it). The job's template and generator
    are copied in, so feedback stays countable after the video is deleted.
    """

    __tablename__ = "feedback"
    __table_args__ = (
        CheckConstraint("rating IN (0, 1)", name="rating_valid"),
        UniqueConstraint("video_id", "user_id", name="uq_feedback_video_user"),
        Index("ix_feedback_created", "created_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    video_id: Mapped[str | None] = mapped_column(ForeignKey("videos.id", ondelete="SET NULL"))
    job_id: Mapped[str | None] = mapped_column(String(32))
    # A user's comments are their own words: they go with the user.
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    template: Mapped[str | None] = mapped_column(String(64))
    generator: Mapped[str | None] = mapped_column(String(128))
    rating: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class PasswordReset(Base):
    """A forgot-password token: only its SHA-256 is stored; it works once, before it expires."""

    __tablename__ = "password_resets"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Invite(Base):
    """An invite code for registration in "invite" mode (only its SHA-256 is stored)."""

    __tablename__ = "invites"
    __table_args__ = (_one_of("role", ROLES),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(16), default="teacher")
    uses_left: Mapped[int] = mapped_column(Integer, default=1)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Throttle(Base):
    """Hits of one throttling rule by one client for one subject (app/accounts/throttle.py)."""

    __tablename__ = "throttles"

    rule: Mapped[str] = mapped_column(String(16), primary_key=True)
    # The client's address ("local" for this machine, "*" for everyone together).
    client: Mapped[str] = mapped_column(String(64), primary_key=True)
    # What is counted against: a username for sign-in, "" for sign-up.
    subject: Mapped[str] = mapped_column(String(64), primary_key=True)
    hits: Mapped[int] = mapped_column(Integer, default=0)
    blocked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # After this the row means nothing and is deleted.
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


class VideoViews(Base):
    """How often a shared video was watched through its link (Watch and Embed pages), once per
    viewer session; its owner's own viewings do not count. Only the owner's gallery shows it.

    A row of its own rather than a column of videos: counting writes one small row, and the
    count goes with the video (ON DELETE CASCADE)."""

    __tablename__ = "video_views"

    video_id: Mapped[str] = mapped_column(
        ForeignKey("videos.id", ondelete="CASCADE"), primary_key=True
    )
    views: Mapped[int] = mapped_column(Integer, default=0)
    last_viewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class SsoIdentity(Base):
    """A school account (OpenID Connect: the provider's issuer and its stable subject id) that
    signs in as one Chalk user (app/accounts/sso.py). The email can change at the provider;
    issuer + subject do not, so they are the key."""

    __tablename__ = "sso_identities"
    __table_args__ = (
        UniqueConstraint("issuer", "subject", name="uq_sso_identities_issuer_subject"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    issuer: Mapped[str] = mapped_column(String(255))
    subject: Mapped[str] = mapped_column(String(255))
    # The email the provider gave at the last sign-in (for admins; never the key).
    email: Mapped[str | None] = mapped_column(String(256))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_sign_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


LESSON_GENERATOR = "lesson"
"""Job.generator of the job row that holds a lesson's joined video (no render of its own)."""
LESSON_STATES = ("draft", "rendering", "joining", "succeeded", "failed")
SCENE_KINDS = ("prompt", "code")


class Lesson(Base):
    """An ordered list of scenes rendered as jobs and joined into one video with a chapter per
    scene (app/lessons). The joined video is an ordinary gallery video of the owner (its job
    row has generator "lesson"), so sharing and download work as for any video."""

    __tablename__ = "lessons"
    __table_args__ = (
        _one_of("state", LESSON_STATES),
        Index("ix_lessons_owner_created", "owner_id", "created_at"),
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(TITLE_MAX), default="")
    quality: Mapped[str] = mapped_column(String(16), default="preview")
    aspect: Mapped[str] = mapped_column(String(8), default="16:9")
    # {"enabled": true, ...} when the scenes are narrated; None for silent lessons.
    narration: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    state: Mapped[str] = mapped_column(String(16), default="draft")
    # Which scene failed and why, in one sentence (state failed).
    error_message: Mapped[str | None] = mapped_column(Text)
    # The joined video; it is deleted with the lesson, and a new join replaces it.
    video_id: Mapped[str | None] = mapped_column(ForeignKey("videos.id", ondelete="SET NULL"))
    # [{"title", "start", "end"}] of the joined video, seconds.
    chapters: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    captions_key: Mapped[str | None] = mapped_column(String(256))
    # Why the join re-encoded (scenes of different formats), else "".
    join_note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    scenes: Mapped[list[LessonScene]] = relationship(
        back_populates="lesson",
        order_by="LessonScene.position",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )
    video: Mapped[Video | None] = relationship()


class LessonScene(Base):
    """One scene of a lesson: a prompt (with its generator) or code, and its latest job."""

    __tablename__ = "lesson_scenes"
    __table_args__ = (
        _one_of("kind", SCENE_KINDS),
        UniqueConstraint("lesson_id", "position", name="uq_lesson_scenes_lesson_position"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    lesson_id: Mapped[str] = mapped_column(ForeignKey("lessons.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(8), default="prompt")
    text: Mapped[str] = mapped_column(Text)
    generator: Mapped[str] = mapped_column(String(16), default="auto")
    # The job that rendered this scene as it is now; cleared when the scene changes. Kept
    # (SET NULL) apart from the job's lifetime: deleting a scene video leaves the lesson.
    job_id: Mapped[str | None] = mapped_column(
        ForeignKey("jobs.id", ondelete="SET NULL"), index=True
    )

    lesson: Mapped[Lesson] = relationship(back_populates="scenes")
    job: Mapped[Job | None] = relationship()


class ApiKey(Base):
    """A user's key for the HTTP API (app/accounts/api_keys.py). Only the key's SHA-256 is
    stored (a random 256-bit key needs no slow hash); the webhook secret signs the webhooks
    sent for jobs submitted with this key, so it is kept as it is."""

    __tablename__ = "api_keys"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    label: Mapped[str] = mapped_column(String(100), default="")
    # The key's first characters, shown in lists so an owner can tell keys apart.
    key_prefix: Mapped[str] = mapped_column(String(16))
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    webhook_secret: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Batch(Base):
    """Jobs submitted together through the API; `completed_at` is set once all are final."""

    __tablename__ = "batches"
    __table_args__ = (Index("ix_batches_completed", "completed_at"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    api_key_id: Mapped[str | None] = mapped_column(ForeignKey("api_keys.id", ondelete="SET NULL"))
    webhook_url: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ApiJob(Base):
    """What the API adds to a job: its batch and where to send its webhook. A table of its own
    so the jobs table (and the pages' job flow) stays as it is."""

    __tablename__ = "api_jobs"
    __table_args__ = (Index("ix_api_jobs_notified", "notified_at"),)

    job_id: Mapped[str] = mapped_column(ForeignKey("jobs.id", ondelete="CASCADE"), primary_key=True)
    api_key_id: Mapped[str | None] = mapped_column(ForeignKey("api_keys.id", ondelete="SET NULL"))
    batch_id: Mapped[str | None] = mapped_column(
        ForeignKey("batches.id", ondelete="CASCADE"), index=True
    )
    webhook_url: Mapped[str | None] = mapped_column(Text)
    # When the job's final event was recorded as a webhook delivery (or found to need none).
    notified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


WEBHOOK_STATES = ("pending", "delivered", "failed")


class WebhookDelivery(Base):
    """One event to POST to one URL: the exact body signed, retried until delivered or it
    is older than the retry window (app/webhooks.py)."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (
        _one_of("state", WEBHOOK_STATES),
        Index("ix_webhook_deliveries_due", "state", "next_attempt_at"),
        Index("ix_webhook_deliveries_owner_created", "owner_id", "created_at"),
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    api_key_id: Mapped[str] = mapped_column(ForeignKey("api_keys.id", ondelete="CASCADE"))
    event: Mapped[str] = mapped_column(String(32))
    # Plain ids (no foreign keys): the record of what was sent outlives a deleted job.
    job_id: Mapped[str | None] = mapped_column(String(32))
    batch_id: Mapped[str | None] = mapped_column(String(32))
    url: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # A worker delivering it holds it until then; another may take it over afterwards.
    leased_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    attempt_log: Mapped[list[WebhookAttempt]] = relationship(
        order_by="WebhookAttempt.id", cascade="all, delete-orphan", passive_deletes=True
    )


class WebhookAttempt(Base):
    """One POST of a delivery: the receiver's status code, or why it could not be reached."""

    __tablename__ = "webhook_attempts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    delivery_id: Mapped[str] = mapped_column(
        ForeignKey("webhook_deliveries.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    status_code: Mapped[int | None] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(Text)
    duration_ms: Mapped[int] = mapped_column(Integer, default=0)
