"""What a job reports: each attempt, and the job's outcome in the JSON shape of DESIGN.md."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from app.cache import StoredMedia
from app.core.code_hints import technical_detail
from app.core.fixer import Fix
from app.core.render import RenderResult
from app.description import Description
from app.errors import ChalkError
from app.storage import StorageError

REJECTED_KINDS = frozenset({"validation", "no_template", "quota"})
"""Error kinds that refuse the input before anything ran (the job is "rejected", not "failed")."""


def status_for(error: ChalkError) -> str:
    return "rejected" if error.kind in REJECTED_KINDS else "failed"


@dataclass
class Attempt:
    """One generate → fix → validate → render round of a job."""

    number: int
    code: str | None = None
    fixes: list[Fix] = field(default_factory=list)
    error: ChalkError | None = None
    layout_warnings: list[str] = field(default_factory=list)
    generate_s: float = 0.0
    render_s: float = 0.0
    cache_key: str | None = None
    cache_hit: bool = False

    @property
    def seconds(self) -> float:
        return self.generate_s + self.render_s

    def to_json(self) -> dict[str, Any]:
        return {
            "attempt": self.number,
            "code": self.code,
            "error_kind": self.error.kind if self.error else None,
            "error": self.error.message if self.error else None,
            # What went wrong in the code's own lines, for "technical detail" under the
            # sentence; Manim's and the host's frames stay in the log.
            "detail": technical_detail(self.error.detail) if self.error else None,
            "fixes": [fix.rule for fix in self.fixes],
            "layout_warnings": self.layout_warnings,
            "seconds": round(self.seconds, 3),
            "cache_key": self.cache_key,
            "cache_hit": self.cache_hit,
        }


@dataclass
class JobResult:
    """Everything `chalk render --json` reports about one job."""

    status: str = "failed"  # succeeded | failed | rejected
    error: ChalkError | None = None
    code: str | None = None
    generator: str | None = None
    template: str | None = None
    params: dict[str, Any] = field(default_factory=dict)
    attempts: int = 0
    cache_hit: bool = False
    # The render cache key of the accepted attempt: the video is stored under it.
    cache_key: str | None = None
    timings: dict[str, float] = field(
        default_factory=lambda: {"generate_s": 0.0, "render_s": 0.0, "total_s": 0.0}
    )
    layout_warnings: list[str] = field(default_factory=list)
    # What the video shows (app/description.py); a template's job has its sentences from the
    # start, the rest once the render's timeline is known.
    template_sentences: list[str] = field(default_factory=list)
    # Parts of the prompt the template did not use ("the axis of symmetry"), for the teacher.
    unused: list[str] = field(default_factory=list)
    description: Description | None = None
    render: RenderResult | None = None
    fixes: list[Fix] = field(default_factory=list)
    attempt_log: list[Attempt] = field(default_factory=list)
    usage: dict[str, int] | None = None
    # Where the accepted render is in the media store (with a render cache only), or why a
    # succeeded job's render could not be stored there.
    stored: StoredMedia | None = None
    store_error: StorageError | None = None

    @property
    def ok(self) -> bool:
        return self.status == "succeeded"

    @property
    def video(self) -> str | None:
        return str(self.render.video) if self.render else None

    @property
    def thumbnail(self) -> str | None:
        return str(self.render.thumbnail) if self.render else None

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "status": self.status,
            "error": self.error.to_json() if self.error else None,
            "video": self.video,
            "thumbnail": self.thumbnail,
            "code": self.code,
            "generator": self.generator,
            "template": self.template,
            "params": self.params,
            "attempts": self.attempts,
            "cache_hit": self.cache_hit,
            "cache_key": self.cache_key,
            "timings": {k: round(v, 3) for k, v in self.timings.items()},
            "layout_warnings": self.layout_warnings,
            "unused": self.unused,
            "description": " ".join(self.description.summary) if self.description else None,
            "description_timeline": (
                self.description.to_json()["timeline"] if self.description else []
            ),
            "fixes": [fix.to_json() for fix in self.fixes],
            "attempt_log": [attempt.to_json() for attempt in self.attempt_log],
            "usage": self.usage,
        }
        if self.render is not None:
            data["video_info"] = self.render.video_info()
            if self.render.audio:  # a narrated video: its captions file and the audio flag
                data["subtitles"] = str(self.render.captions) if self.render.captions else None
                data["audio"] = True
        return data
