"""Request and response bodies of the API v1; their fields and examples are the OpenAPI docs."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic.json_schema import SkipJsonSchema

from app.db.models import JOB_STATES, TITLE_MAX, VISIBILITIES
from app.jobs.service import PROMPT_MAX_CHARS
from app.settings import ASPECTS, QUALITIES

Generator = Literal["auto", "offline", "llm"]
Quality = Literal["preview", "standard", "high"]
Aspect = Literal["16:9", "9:16", "1:1"]
JobState = Literal["queued", "running", "succeeded", "failed", "cancelled"]
Visibility = Literal["private", "school", "link", "public"]
assert set(Quality.__args__) == set(QUALITIES) and set(Aspect.__args__) == set(ASPECTS)  # type: ignore[attr-defined]
assert set(JobState.__args__) == set(JOB_STATES)  # type: ignore[attr-defined]
assert set(Visibility.__args__) == set(VISIBILITIES)  # type: ignore[attr-defined]


NOT_BLANK = r"\S"
"""Text with something in it besides spaces."""


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class JobSpec(Strict):
    """One animation: a prompt (Chalk writes the code) or Manim code (rendered as it is)."""

    prompt: str | SkipJsonSchema[None] = Field(
        default=None,
        pattern=NOT_BLANK,
        description="What the animation should show, in plain words.",
        # Documented, not enforced here: a longer prompt is a 413, not a 422.
        json_schema_extra={"maxLength": PROMPT_MAX_CHARS},
    )
    code: str | SkipJsonSchema[None] = Field(
        default=None,
        pattern=NOT_BLANK,
        min_length=1,
        description="A Manim scene to render instead (at most CHALK_MAX_CODE_BYTES, else 413).",
    )
    generator: Generator = "auto"
    quality: Quality = "preview"
    aspect: Aspect = "16:9"

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"prompt": "show why the area of a circle is pi r^2"}],
            "oneOf": [{"required": ["prompt"]}, {"required": ["code"]}],
        },
    )

    @model_validator(mode="after")
    def _prompt_or_code(self) -> JobSpec:
        for name in ("prompt", "code"):
            if name in self.model_fields_set and getattr(self, name) is None:
                raise ValueError(f"{name} must be text; leave it out instead of null")
        if (self.prompt is None) == (self.code is None):
            raise ValueError("give either a prompt or code, not both")
        return self


class JobCreate(JobSpec):
    webhook_url: str | None = Field(
        default=None,
        description="Where to POST job.succeeded / job.failed / job.cancelled (signed).",
        examples=["https://lms.example.org/chalk/webhook"],
    )


class JobError(BaseModel):
    kind: str
    message: str
    suggestions: list[str] | None = None
    line: int | None = None


class JobOut(BaseModel):
    """A job as `chalk status --json` prints it."""

    job_id: str
    state: JobState
    stage: str | None
    progress: float
    error: JobError | None
    prompt: str | None
    generator: str
    generator_used: str | None
    template: str | None
    params: dict[str, Any]
    quality: str
    aspect: str
    video_id: str | None
    video: str | None
    video_url: str | None
    thumbnail: str | None
    thumbnail_url: str | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    attempts: int
    attempt_log: list[dict[str, Any]]
    layout_warnings: list[str]
    cache_hit: bool
    cancel_requested: bool
    requeues: int
    owner: str
    description: dict[str, Any] | None


class JobList(BaseModel):
    jobs: list[JobOut]
    limit: int
    offset: int


class CancelOut(BaseModel):
    job_id: str
    state: JobState
    accepted: bool
    message: str


class BatchCreate(Strict):
    jobs: list[JobSpec] = Field(min_length=1, max_length=50)
    webhook_url: str | None = Field(
        default=None,
        description="Where to POST each job's final event and batch.completed (signed).",
    )


class BatchCreated(BaseModel):
    batch_id: str
    job_ids: list[str]


class BatchOut(BaseModel):
    batch_id: str
    created_at: datetime
    completed_at: datetime | None
    total: int
    finished: bool
    counts: dict[JobState, int]
    job_ids: list[str]


class VideoOut(BaseModel):
    id: str
    job_id: str
    title: str
    prompt: str | None
    template: str | None
    generator: str | None
    quality: str
    aspect: str
    duration_s: float
    width: int
    height: int
    size_bytes: int
    visibility: Visibility
    share_token: str | None
    created_at: datetime
    description: dict[str, Any] | None
    download: str = Field(description="This video's download address in the API.")
    item_id: str = Field(
        description="The gallery item this video is a version of (its first version's id)."
    )
    version: int = Field(description="This video's version number in its item.")
    versions: int = Field(description="How many versions the item has.")


class VideoPageOut(BaseModel):
    items: list[VideoOut]
    total: int
    page: int
    pages: int


class VideoPatch(Strict):
    title: str | None = Field(
        default=None, pattern=NOT_BLANK, max_length=TITLE_MAX, examples=["Area of a circle"]
    )
    visibility: Visibility | None = None


class GenerateIn(Strict):
    prompt: str = Field(pattern=NOT_BLANK, json_schema_extra={"maxLength": PROMPT_MAX_CHARS})
    generator: Generator = "auto"
    aspect: Aspect = "16:9"


class GenerateOut(BaseModel):
    code: str
    generator: str
    template: str | None
    params: dict[str, Any]
    notes: list[str]


class TemplatesOut(BaseModel):
    templates: list[dict[str, Any]]


class Problem(BaseModel):
    """An error (RFC 9457 problem details) with Chalk's error kind."""

    type: str
    title: str
    status: int
    detail: str
    instance: str
    kind: str
    field: str | None = None
    errors: list[dict[str, str]] | None = None
