"""submit / status / cancel / list / delete_video on SQLite and PostgreSQL (no rendering)."""

from __future__ import annotations

import threading
from datetime import datetime

import pytest
from sqlalchemy import func, select

from app.accounts.users import get_or_create_user
from app.cache import RenderCache
from app.core.render import RenderResult
from app.db.engine import session_scope
from app.db.models import Job, JobEvent, User, Video
from app.errors import ChalkError
from app.jobs import service
from app.jobs.runner import execute
from app.settings import Settings
from app.storage import get_storage
from tests.helpers import make_user
from tests.jobs.conftest import scene
from tests.jobs.recording import RecordingBackend


def job_count(settings: Settings) -> int:
    with session_scope(settings) as session:
        return session.scalar(select(func.count()).select_from(Job)) or 0


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"prompt": "   "}, "The prompt is empty"),
        ({}, "The prompt is empty"),
        ({"prompt": "x" * 2001}, "longer than 2000 characters"),
        ({"code": ""}, "The code is empty"),
        ({"prompt": "a circle", "code": "x = 1"}, "either a prompt or code"),
        ({"prompt": "a circle", "quality": "ultra"}, "Unknown quality 'ultra'"),
        ({"prompt": "a circle", "aspect": "4:3"}, "Unknown aspect '4:3'"),
        ({"prompt": "a circle", "generator": "gpt"}, "Unknown generator 'gpt'"),
        ({"code": "x = 1\n" * 20_000}, "KB allowed"),
    ],
)
def test_submit_refuses_bad_input_before_creating_anything(job_settings, fields, expected):
    owner = make_user(job_settings)
    backend = RecordingBackend()
    with pytest.raises(ChalkError) as refused:
        service.submit(settings=job_settings, owner_id=owner, backend=backend, **fields)
    assert refused.value.kind == "validation"
    assert expected in refused.value.message
    assert refused.value.message.endswith(".")
    assert job_count(job_settings) == 0
    assert backend.queued == []


def test_submit_queues_the_job_and_status_reports_it(job_settings):
    owner = make_user(job_settings, "ada")
    backend = RecordingBackend()
    view = service.submit(
        settings=job_settings,
        owner_id=owner,
        prompt="  show the area of a circle  ",
        quality="standard",
        aspect="9:16",
        backend=backend,
    )
    assert backend.queued == [(view.job_id, 0)]
    data = service.status(settings=job_settings, job_id=view.job_id).to_json()
    for key in (
        "job_id",
        "state",
        "stage",
        "progress",
        "error",
        "video",
        "video_url",
        "thumbnail",
        "created_at",
        "started_at",
        "finished_at",
        "attempts",
        "cache_hit",
    ):
        assert key in data
    assert data["state"] == "queued"
    assert data["prompt"] == "show the area of a circle"
    assert (data["quality"], data["aspect"], data["generator"]) == ("standard", "9:16", "auto")
    assert data["error"] is None and data["video"] is None
    assert data["started_at"] is None and data["finished_at"] is None
    assert data["owner"] == "ada"
    created = datetime.fromisoformat(data["created_at"])
    assert created.tzinfo is not None and created.utcoffset().total_seconds() == 0
    with session_scope(job_settings) as session:
        events = session.scalars(select(JobEvent).where(JobEvent.job_id == view.job_id)).all()
        assert [e.state for e in events] == ["queued"]


def test_status_of_an_unknown_job_is_not_found(job_settings):
    with pytest.raises(service.JobNotFound, match="no job with id nope"):
        service.status(settings=job_settings, job_id="nope")
    with pytest.raises(service.JobNotFound):
        service.cancel(settings=job_settings, job_id="nope", backend=RecordingBackend())


def test_status_hides_other_users_jobs(job_settings):
    ada, bob = make_user(job_settings, "ada"), make_user(job_settings, "bob")
    view = service.submit(
        settings=job_settings, owner_id=ada, prompt="a circle", backend=RecordingBackend()
    )
    assert service.status(settings=job_settings, job_id=view.job_id, owner_id=ada).state
    with pytest.raises(service.JobNotFound):
        service.status(settings=job_settings, job_id=view.job_id, owner_id=bob)


def test_per_user_limits_hold_under_eight_concurrent_submits(job_settings):
    slots = job_settings.quotas["teacher"].concurrent_jobs
    assert slots == 3
    limit = 5
    teacher = job_settings.quotas["teacher"].model_copy(update={"queued_jobs": limit})
    job_settings = job_settings.model_copy(
        update={"quotas": {**job_settings.quotas, "teacher": teacher}}
    )
    owner = make_user(job_settings)
    backend = RecordingBackend()
    start = threading.Barrier(8)
    accepted: list[str] = []
    refused: list[ChalkError] = []
    lock = threading.Lock()

    def submit_one(i: int) -> None:
        start.wait(timeout=30)
        try:
            view = service.submit(
                settings=job_settings, owner_id=owner, prompt=f"circle {i}", backend=backend
            )
        except ChalkError as exc:
            with lock:
                refused.append(exc)
        else:
            with lock:
                accepted.append(view.job_id)

    threads = [threading.Thread(target=submit_one, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert len(accepted) == limit
    assert len(refused) == 8 - limit
    assert {exc.kind for exc in refused} == {"quota"}
    assert refused[0].message == (
        f"You already have {limit} animations waiting or in progress, the most allowed; wait "
        "for some to finish (or cancel some), then try again."
    )
    assert job_count(job_settings) == limit
    # Of those accepted, only the owner's slots' worth went on the queue; the rest wait.
    assert len(backend.queued) == slots
    waiting = [service.status(settings=job_settings, job_id=j).awaiting_slot for j in accepted]
    assert waiting.count(True) == limit - slots


def test_finished_jobs_free_a_slot_and_users_have_their_own_limits(job_settings):
    owner = make_user(job_settings, "ada")
    other = make_user(job_settings, "bob")
    backend = RecordingBackend()
    with session_scope(job_settings) as session:
        session.get(User, owner).max_concurrent_jobs = 1
    first = service.submit(settings=job_settings, owner_id=owner, prompt="a", backend=backend)
    second = service.submit(settings=job_settings, owner_id=owner, prompt="b", backend=backend)
    assert second.awaiting_slot and second.state == "queued"
    # Another user's jobs do not count.
    third = service.submit(settings=job_settings, owner_id=other, prompt="c", backend=backend)
    assert [job_id for job_id, _ in backend.queued] == [first.job_id, third.job_id]
    service.cancel(settings=job_settings, job_id=first.job_id, backend=backend)
    assert backend.queued[-1] == (second.job_id, 0)
    assert not service.status(settings=job_settings, job_id=second.job_id).awaiting_slot


def test_cancel_of_a_queued_job_means_it_never_runs(job_settings):
    owner = make_user(job_settings)
    backend = RecordingBackend()
    view = service.submit(
        settings=job_settings, owner_id=owner, code=scene("text_scene"), backend=backend
    )
    outcome = service.cancel(settings=job_settings, job_id=view.job_id, backend=backend)
    assert (outcome.state, outcome.accepted) == ("cancelled", True)
    assert backend.discarded == [view.job_id]
    # A worker that still gets the id (it was already dequeued) does nothing.
    assert execute(view.job_id, job_settings, "test-worker") is None
    after = service.status(settings=job_settings, job_id=view.job_id)
    assert after.state == "cancelled"
    assert after.error == {"kind": "cancelled", "message": "The job was cancelled."}
    assert after.started_at is None and after.finished_at is not None
    again = service.cancel(settings=job_settings, job_id=view.job_id, backend=backend)
    assert again.accepted is False
    assert again.message == "The job already finished (cancelled)."


def test_cancel_of_a_running_job_asks_its_worker(job_settings):
    owner = make_user(job_settings)
    backend = RecordingBackend()
    view = service.submit(settings=job_settings, owner_id=owner, prompt="a", backend=backend)
    with session_scope(job_settings) as session:
        session.get(Job, view.job_id).state = "running"
    outcome = service.cancel(settings=job_settings, job_id=view.job_id, backend=backend)
    assert (outcome.state, outcome.accepted) == ("running", True)
    assert backend.interrupted == [view.job_id]
    assert service.status(settings=job_settings, job_id=view.job_id).cancel_requested


def test_list_jobs_newest_first(job_settings):
    owner = make_user(job_settings)
    backend = RecordingBackend()
    ids = [
        service.submit(
            settings=job_settings, owner_id=owner, prompt=f"p{i}", backend=backend
        ).job_id
        for i in range(3)
    ]
    listed = service.list_jobs(settings=job_settings, owner_id=owner)
    assert [view.job_id for view in listed] == ids[::-1]


def test_get_or_create_user_is_safe_when_racing(job_settings):
    start = threading.Barrier(6)
    ids: list[int] = []

    def create() -> None:
        start.wait(timeout=30)
        with session_scope(job_settings) as session:
            ids.append(get_or_create_user(session, "racer").id)

    threads = [threading.Thread(target=create) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(ids) == 6 and len(set(ids)) == 1


def _stored_video(settings: Settings, owner: int, tmp_path, key: str) -> tuple[str, str]:
    """Two finished jobs whose videos share one stored render (as identical renders do)."""
    video, thumbnail = tmp_path / "v.mp4", tmp_path / "v.png"
    video.write_bytes(b"\0" * 100)
    thumbnail.write_bytes(b"png")
    rendered = RenderResult(video, thumbnail, "S", "h264", 854, 480, 15, 30, 2.0, 100, 1.0)
    stored = RenderCache(get_storage(settings), settings).store(key, rendered)
    video_ids = []
    with session_scope(settings) as session:
        for _ in range(2):
            job = Job(owner_id=owner, prompt="p", state="succeeded")
            session.add(job)
            session.flush()
            row = Video(
                job_id=job.id,
                owner_id=owner,
                storage_key=stored.video_key,
                thumbnail_key=stored.thumbnail_key,
            )
            session.add(row)
            session.flush()
            video_ids.append(row.id)
    return video_ids[0], video_ids[1]


def test_deleting_videos_removes_shared_media_with_the_last_one(job_settings, tmp_path):
    owner = make_user(job_settings)
    key = "ab" * 32
    first, second = _stored_video(job_settings, owner, tmp_path, key)
    storage = get_storage(job_settings)
    service.delete_video(settings=job_settings, video_id=first, owner_id=owner)
    assert storage.exists(f"renders/{key}.mp4") and storage.exists(f"renders/{key}.png")
    with pytest.raises(service.JobNotFound):
        service.delete_video(settings=job_settings, video_id=first)
    service.delete_video(settings=job_settings, video_id=second)
    assert not storage.exists(f"renders/{key}.mp4")
    assert not storage.exists(f"renders/{key}.png")
    assert not storage.exists(f"renders/{key}.json")
