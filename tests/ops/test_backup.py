"""`chalk backup` / `chalk restore`: every table's rows and every media file's hash survive a round
trip, between SQLite and PostgreSQL in both directions, also while the app keeps writing."""

from __future__ import annotations

import hashlib
import io
import json
import os
import stat
import subprocess
import tarfile
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from app import events, views
from app.db.engine import dispose_engines, get_engine, session_scope
from app.db.migrate import upgrade
from app.db.models import (
    ApiJob,
    ApiKey,
    Batch,
    GalleryItem,
    Invite,
    Job,
    JobEvent,
    Lesson,
    LessonScene,
    PasswordReset,
    SsoIdentity,
    User,
    Video,
    WebhookAttempt,
    WebhookDelivery,
)
from app.ops.backup import BackupError, backup, dump_rows, restore
from app.settings import Settings
from tests.db_fixtures import throwaway_database
from tests.jobs.conftest import CHALK, env_for


def populate(settings: Settings) -> None:
    """Rows in every table (JSON, booleans, timestamps, unicode) and media files."""
    with session_scope(settings) as session:
        ada = User(
            username="ada", display_name="Ada Lovelace ✓", email="ada@example.org", role="admin"
        )
        bob = User(
            username="bob",
            display_name="Bob",
            daily_job_quota=5,
            password_hash="$2b$12$abcdefghijklmnopqrstuuO8lHz0K5KfN0E2Y2b5n0sD6T9V1eY3a",
            preferences={"quality": "high"},
            disabled=True,
            password_changed_at=datetime(2026, 3, 1, 10, 5, tzinfo=UTC),
        )
        session.add_all([ada, bob])
        session.flush()
        session.add(
            PasswordReset(
                user_id=bob.id,
                token_hash="a" * 64,
                expires_at=datetime(2026, 3, 1, 11, 0, tzinfo=UTC),
            )
        )
        session.add(
            SsoIdentity(
                user_id=ada.id,
                issuer="https://accounts.example.org",
                subject="1234567890",
                email="ada@school.example.org",
                last_sign_in_at=datetime(2026, 3, 1, 9, 0, tzinfo=UTC),
            )
        )
        session.add(
            Invite(
                code_hash="b" * 64,
                created_by=ada.id,
                uses_left=2,
                expires_at=datetime(2026, 3, 15, tzinfo=UTC),
            )
        )
        job = Job(
            owner_id=ada.id,
            prompt="area of a circle — πr²",
            generator="offline",
            generator_used="offline:circle_area",
            template="circle_area",
            params={"radius": 2.5, "labels": ["r", "A"]},
            code="from manim import *\n",
            state="succeeded",
            attempts=[{"attempt": 1, "error": None, "seconds": 1.25}],
            layout_warnings=["text overlaps"],
            cache_hit=True,
            prompt_tokens=3,
            started_at=datetime(2026, 3, 1, 10, 0, 1, 250000, tzinfo=UTC),
            finished_at=datetime(2026, 3, 1, 10, 0, 9, tzinfo=UTC),
        )
        failed = Job(
            owner_id=bob.id,
            prompt="x",
            state="failed",
            error_kind="render",
            error_message="The scene crashed.",
        )
        session.add_all([job, failed])
        session.flush()
        session.add(JobEvent(job_id=job.id, state="succeeded", detail="done"))
        session.add(
            Video(
                id="v1",
                job_id=job.id,
                owner_id=ada.id,
                storage_key="renders/abc.mp4",
                thumbnail_key="renders/abc.png",
                size_bytes=11,
                visibility="link",
                share_token="tok-1",
                title="Circle",
                item_id="v1",
            )
        )
        session.add(GalleryItem(id="v1", owner_id=ada.id, current_video_id="v1", versions=1))
        session.flush()
        session.add(
            Lesson(
                id="l1",
                owner_id=ada.id,
                title="Circles — a lesson",
                state="succeeded",
                video_id="v1",
                chapters=[{"title": "Circle", "start": 0.0, "end": 2.5}],
                narration={"enabled": True},
            )
        )
        session.flush()
        session.add(LessonScene(lesson_id="l1", position=0, text="area of a circle", job_id=job.id))
        key = ApiKey(
            user_id=ada.id,
            label="Moodle ✓",
            key_prefix="chalk_abcdef",
            key_hash="c" * 64,
            webhook_secret="whsec_" + "d" * 48,
            last_used_at=datetime(2026, 3, 1, 10, 1, tzinfo=UTC),
        )
        session.add(key)
        session.flush()
        batch = Batch(id="b1", owner_id=ada.id, api_key_id=key.id, webhook_url="https://x.org/h")
        session.add(batch)
        session.flush()
        session.add(ApiJob(job_id=job.id, api_key_id=key.id, batch_id="b1"))
        delivery = WebhookDelivery(
            id="d1",
            owner_id=ada.id,
            api_key_id=key.id,
            event="job.succeeded",
            job_id=job.id,
            url="https://x.org/h",
            body='{"event": "job.succeeded"}',
            state="delivered",
            attempts=1,
        )
        session.add(delivery)
        session.flush()
        session.add(WebhookAttempt(delivery_id="d1", status_code=200, duration_ms=12))
        events.add_event(session, "sign_in", user_id=ada.id)
        events.add_event(
            session,
            "job_finished",
            user_id=ada.id,
            job_id=job.id,
            state="succeeded",
            render_s=1.5,
            cache_hit=True,
            attempts=1,
        )
    events.record_feedback(
        settings=settings, video_id="v1", user_id=bob.id, rating=1, comment="Nice"
    )
    assert views.count_view(settings=settings, video_id="v1", viewer_id=bob.id)
    media = settings.media_root / "renders"
    media.mkdir(parents=True, exist_ok=True)
    (media / "abc.mp4").write_bytes(b"video bytes")
    (media / "abc.png").write_bytes(b"\x89PNG thumbnail")
    (media / "abc.json").write_text('{"codec": "h264"}')


def table_rows(settings: Settings) -> dict[str, list[dict[str, Any]]]:
    with get_engine(settings).connect() as connection:
        return {
            name: [json.loads(json.dumps(r, sort_keys=True)) for r in rows]
            for name, rows in dump_rows(connection)
        }


def media_hashes(settings: Settings) -> dict[str, str]:
    root = settings.media_root
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(params=["sqlite", "postgresql"])
def target(request: Any, settings: Settings, tmp_path: Path):
    """An empty database (never migrated) and media folder to restore into."""
    fresh = settings.model_copy(update={"data_dir": tmp_path / "restored"})
    with throwaway_database(request.param, fresh, tmp_path / "target", migrate=False) as db:
        yield db


def test_round_trip_keeps_every_row_and_media_file(
    db_settings: Settings, target: Settings, tmp_path
):
    populate(db_settings)
    archive = tmp_path / "chalk.tar.gz"
    summary = backup(db_settings, archive)
    assert summary.tables == {
        "users": 2,
        "jobs": 2,
        "job_events": 1,
        "videos": 1,
        "usage_events": 2,
        "feedback": 1,
        "password_resets": 1,
        "invites": 1,
        "throttles": 0,
        "video_views": 1,
        "sso_identities": 1,
        "lessons": 1,
        "lesson_scenes": 1,
        "api_keys": 1,
        "batches": 1,
        "api_jobs": 1,
        "webhook_deliveries": 1,
        "webhook_attempts": 1,
        "video_items": 1,
    }
    assert summary.media_files == 3 and summary.missing_media == []
    restored = restore(target, archive)
    assert restored.tables == summary.tables
    assert table_rows(target) == table_rows(db_settings)
    assert media_hashes(target) == media_hashes(db_settings)
    # The id sequences continue after the restored rows (PostgreSQL).
    with session_scope(target) as session:
        session.add(User(username="cy"))
        session.flush()
        assert session.scalar(select(func.max(User.id))) == 3


def test_backup_is_consistent_while_the_app_writes(
    sqlite_settings: Settings, settings: Settings, tmp_path
):
    populate(sqlite_settings)
    owner = 1
    stop = threading.Event()

    def app_keeps_working() -> None:
        while not stop.is_set():
            with session_scope(sqlite_settings) as session:
                job = Job(owner_id=owner, prompt="busy", state="queued")
                session.add(job)
                session.flush()
                session.add(JobEvent(job_id=job.id, state="queued"))
                events.add_event(session, "generate_clicked", user_id=owner, job_id=job.id)

    writer = threading.Thread(target=app_keeps_working)
    writer.start()
    try:
        archive = tmp_path / "online.tar.gz"
        summary = backup(sqlite_settings, archive)
    finally:
        stop.set()
        writer.join()
    # Each job was written with its event and usage event in one transaction: a consistent
    # snapshot has exactly as many of each.
    assert (
        summary.tables["jobs"] - 2
        == summary.tables["job_events"] - 1
        == summary.tables["usage_events"] - 2
    )
    fresh = settings.model_copy(update={"data_dir": tmp_path / "r"})
    with throwaway_database("sqlite", fresh, tmp_path / "r", migrate=False) as target:
        assert restore(target, archive).tables == summary.tables


def test_restore_refuses_a_database_with_rows_unless_replace(db_settings: Settings, tmp_path):
    populate(db_settings)
    archive = tmp_path / "b.tar.gz"
    backup(db_settings, archive)
    with pytest.raises(BackupError, match="--replace"):
        restore(db_settings, archive)
    before = table_rows(db_settings)
    with session_scope(db_settings) as session:
        session.add(User(username="added-after-the-backup"))
    restore(db_settings, archive, replace=True)
    assert table_rows(db_settings) == before


def test_a_damaged_media_file_is_refused(sqlite_settings: Settings, settings: Settings, tmp_path):
    populate(sqlite_settings)
    archive = tmp_path / "b.tar.gz"
    backup(sqlite_settings, archive)
    tampered = tmp_path / "tampered.tar.gz"
    with tarfile.open(archive, "r:gz") as source, tarfile.open(tampered, "w:gz") as out:
        for member in source.getmembers():
            data = source.extractfile(member).read()  # type: ignore[union-attr]
            if member.name == "media/renders/abc.mp4":
                data = b"evil bytes!"
            member.size = len(data)
            out.addfile(member, io.BytesIO(data))
    fresh = settings.model_copy(update={"data_dir": tmp_path / "r"})
    with (
        throwaway_database("sqlite", fresh, tmp_path / "r", migrate=False) as target,
        pytest.raises(BackupError, match="damaged"),
    ):
        restore(target, tampered)


def test_not_a_backup(settings: Settings, tmp_path):
    junk = tmp_path / "junk.tar.gz"
    junk.write_bytes(b"not gzip")
    with pytest.raises(BackupError, match="not a readable"):
        restore(settings, junk)


def test_the_cli_round_trip(sqlite_settings: Settings, settings: Settings, tmp_path):
    populate(sqlite_settings)
    archive = tmp_path / "cli.tar.gz"
    run = [str(CHALK)]
    made = subprocess.run(
        [*run, "backup", str(archive), "--json"],
        env=env_for(sqlite_settings),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert made.returncode == 0, made.stderr
    assert json.loads(made.stdout)["rows"] == 21
    fresh = settings.model_copy(update={"data_dir": tmp_path / "r"})
    with throwaway_database("sqlite", fresh, tmp_path / "r", migrate=False) as target:
        env = env_for(target)
        restored = subprocess.run(
            [*run, "restore", str(archive), "--json"],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert restored.returncode == 0, restored.stderr
        assert json.loads(restored.stdout)["media_files"] == 3
        again = subprocess.run(
            [*run, "restore", str(archive), "--json"],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert again.returncode == 1
        assert "--replace" in json.loads(again.stdout)["error"]["message"]
        assert table_rows(target) == table_rows(sqlite_settings)
    wrong = subprocess.run(
        [*run, "backup", str(tmp_path / "x.zip")],
        env=env_for(sqlite_settings),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert wrong.returncode == 2 and ".tar.gz" in wrong.stderr


@pytest.fixture
def open_umask() -> Iterator[None]:
    """Umask 000: whatever a file is created with shows in its mode (tests run in one thread
    per process, so changing it briefly is safe)."""
    previous = os.umask(0)
    try:
        yield
    finally:
        os.umask(previous)


def test_a_backup_is_private_from_its_first_byte(
    sqlite_settings: Settings, tmp_path, monkeypatch, open_umask
):
    populate(sqlite_settings)
    archive = tmp_path / "private.tar.gz"
    modes_while_writing: set[int] = set()
    addfile = tarfile.TarFile.addfile

    def spy(self: tarfile.TarFile, *args: Any, **kwargs: Any) -> None:
        modes_while_writing.update(
            stat.S_IMODE(p.stat().st_mode) for p in tmp_path.glob(".private.tar.gz.*")
        )
        addfile(self, *args, **kwargs)

    monkeypatch.setattr(tarfile.TarFile, "addfile", spy)
    backup(sqlite_settings, archive)
    assert modes_while_writing == {0o600}
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600


def test_a_new_sqlite_database_and_its_wal_are_private(settings: Settings, open_umask):
    upgrade(settings)  # the embedded default: chalk.db in the data dir, created by Chalk
    try:
        with get_engine(settings).connect() as connection:
            connection.execute(select(func.count()).select_from(User))
            names = ("chalk.db", "chalk.db-wal", "chalk.db-shm")
            modes = {
                name: stat.S_IMODE((settings.data_dir / name).stat().st_mode) for name in names
            }
            assert modes == dict.fromkeys(names, 0o600)
    finally:
        dispose_engines()


def rebuilt(archive: Path, out: Path, edit: Any) -> Path:
    """A copy of `archive` whose (TarInfo, bytes) members went through `edit`."""
    with tarfile.open(archive, "r:gz") as source:
        members = [(m, source.extractfile(m).read()) for m in source.getmembers()]  # type: ignore[union-attr]
    with tarfile.open(out, "w:gz") as tar:
        for member, data in edit(members):
            member.size = len(data)
            tar.addfile(member, io.BytesIO(data) if member.isreg() else None)
    return out


def bad_last_row(members: list) -> list:
    """The last line of the last table holds a string where an id goes."""
    *_, (info, data) = [(m, d) for m, d in members if m.name.startswith("db/") and d]
    lines = data.splitlines()
    row = json.loads(lines[-1])
    row["id"] = "not a number"
    lines[-1] = json.dumps(row).encode()
    return [(m, b"\n".join(lines) + b"\n" if m is info else d) for m, d in members]


def extra(name: str, **fields: Any) -> Any:
    def edit(members: list) -> list:
        info = tarfile.TarInfo(name)
        for key, value in fields.items():
            setattr(info, key, value)
        return [*members, (info, b"" if "type" in fields else b"evil")]

    return edit


def truncated(archive: Path, out: Path) -> Path:
    data = archive.read_bytes()
    out.write_bytes(data[: len(data) * 3 // 4])
    return out


DAMAGES = {
    "bad row late": lambda a, o: rebuilt(a, o, bad_last_row),
    "path traversal": lambda a, o: rebuilt(a, o, extra("media/../../escaped.mp4")),
    "symlink": lambda a, o: rebuilt(
        a, o, extra("media/renders/link.mp4", type=tarfile.SYMTYPE, linkname="/etc/passwd")
    ),
    "device": lambda a, o: rebuilt(a, o, extra("media/renders/dev.mp4", type=tarfile.CHRTYPE)),
    "truncated": truncated,
}


@pytest.mark.parametrize("damage", DAMAGES)
def test_a_refused_restore_leaves_rows_and_media_as_they_were(
    sqlite_settings: Settings, tmp_path, damage
):
    settings = sqlite_settings
    populate(settings)
    archive = backup(settings, tmp_path / "good.tar.gz")
    # Since the backup: a row added, a file changed, so a half-done restore would show.
    with session_scope(settings) as session:
        session.add(User(username="added-after-the-backup"))
    (settings.media_root / "renders" / "abc.json").write_text("changed")
    before = (table_rows(settings), media_hashes(settings))
    damaged = DAMAGES[damage](Path(archive.path), tmp_path / "damaged.tar.gz")
    with pytest.raises(BackupError) as refused:
        restore(settings, damaged, replace=True)
    sentence = str(refused.value)
    assert sentence.endswith(".") and "\n" not in sentence and "Traceback" not in sentence
    assert (table_rows(settings), media_hashes(settings)) == before
    assert not (settings.data_dir / "escaped.mp4").exists()
