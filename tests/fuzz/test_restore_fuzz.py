"""Property-based fuzzing of `chalk restore`: random bytes and mutated real backups.

Whatever file arrives — random bytes, a real backup with flipped bytes or cut short, members
reordered, duplicated, renamed (`../`, absolute paths), turned into links or devices, or with
a declared size far beyond their data — restore either succeeds or refuses with one sentence
(BackupError), and a refusal leaves the rows and media files exactly as they were.
`make test` runs a bounded number of examples; `bench/fuzz.py` runs many more.
"""

from __future__ import annotations

import gzip
import os
import sqlite3
import tarfile
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from app.db.engine import sqlite_path
from app.ops.backup import BackupError, backup, restore
from app.settings import Settings
from tests.fuzz.strategies import fuzz_settings
from tests.ops.test_backup import media_hashes, populate

EXAMPLES = int(os.environ.get("CHALK_FUZZ_RESTORE_EXAMPLES", "40"))
"""Archives tried per run; the benchmark raises it."""

FUZZ = fuzz_settings(EXAMPLES)  # one database for all examples, on purpose

HOSTILE_NAMES = st.sampled_from(
    [
        "../escaped.mp4",
        "media/../../escaped.mp4",
        "/tmp/escaped.mp4",
        "media//etc/passwd",
        "media/renders/../../escaped.png",
        "db/users.jsonl",
        "db/../../x.jsonl",
        "manifest.json",
        "media/renders/abc.mp4",
        "media/",
        "media/\x00.mp4",
        "media/" + "a" * 600,
        "",
    ]
)
TYPES = st.sampled_from(
    [tarfile.SYMTYPE, tarfile.LNKTYPE, tarfile.DIRTYPE, tarfile.CHRTYPE, tarfile.FIFOTYPE]
)
Member = tuple[tarfile.TarInfo, bytes]


def read_members(archive: Path) -> list[Member]:
    with tarfile.open(archive, "r:gz") as tar:
        return [(m, tar.extractfile(m).read()) for m in tar.getmembers()]  # type: ignore[union-attr]


def tar_bytes(members: list[Member]) -> bytes:
    """A gzipped tar written header by header, so a header may claim more data than follows."""
    out = bytearray()
    for info, data in members:
        out += info.tobuf(tarfile.PAX_FORMAT, "utf-8", "surrogateescape")
        out += data + b"\0" * (-len(data) % tarfile.BLOCKSIZE)
    return gzip.compress(bytes(out + b"\0" * (2 * tarfile.BLOCKSIZE)), mtime=0)


def _copy(info: tarfile.TarInfo, **changes: Any) -> tarfile.TarInfo:
    copy = tarfile.TarInfo(info.name)
    copy.size, copy.mode, copy.mtime = info.size, info.mode, info.mtime
    for key, value in changes.items():
        setattr(copy, key, value)
    return copy


@st.composite
def mutated_members(draw: st.DrawFn, members: list[Member]) -> list[Member]:
    members = list(members)
    for _ in range(draw(st.integers(1, 3))):
        index = draw(st.integers(0, len(members) - 1)) if members else 0
        edit = draw(
            st.sampled_from(
                ["reorder", "duplicate", "rename", "drop", "type", "huge", "flip", "cut", "lines"]
            )
        )
        if not members:
            break
        info, data = members[index]
        if edit == "reorder":
            members = draw(st.permutations(members))
        elif edit == "duplicate":
            members.insert(draw(st.integers(0, len(members))), (_copy(info), data))
        elif edit == "rename":
            name = draw(st.one_of(HOSTILE_NAMES, st.text(max_size=40)))
            members[index] = (_copy(info, name=name), data)
        elif edit == "drop":
            del members[index]
        elif edit == "type":
            members[index] = (_copy(info, type=draw(TYPES), linkname="/etc/passwd", size=0), b"")
        elif edit == "huge":
            members[index] = (_copy(info, size=draw(st.integers(len(data) + 1, 2**40))), data)
        elif edit in ("flip", "cut") and data:
            at = draw(st.integers(0, len(data) - 1))
            if edit == "flip":
                data = data[:at] + bytes([data[at] ^ draw(st.integers(1, 255))]) + data[at + 1 :]
            else:
                data = data[:at]
            members[index] = (_copy(info, size=len(data)), data)
        elif edit == "lines":
            line = draw(
                st.one_of(
                    st.binary(max_size=60),
                    st.sampled_from([b"{}", b"[]", b"null", b'{"id": 1e999}', b"[" * 5000]),
                )
            )
            data = data + line + b"\n"
            members[index] = (_copy(info, size=len(data)), data)
    return members


def archives(members: list[Member], raw: bytes) -> st.SearchStrategy[bytes]:
    def damaged(data: bytes, at: int, cut: bool) -> bytes:
        at %= max(len(data), 1)
        return data[:at] if cut else data[:at] + bytes([data[at] ^ 0x55]) + data[at + 1 :]

    return st.one_of(
        st.binary(max_size=2000),
        mutated_members(members).map(tar_bytes),
        st.builds(damaged, st.just(raw), st.integers(0, 2**31), st.booleans()),
    )


def snapshot(settings: Settings) -> tuple[list[Any], dict[str, str]]:
    """Every row of every table and every media file's hash (reflection is too slow here)."""
    with sqlite3.connect(str(sqlite_path(settings.database))) as db:
        names = [n for (n,) in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        rows = [db.execute(f'SELECT * FROM "{name}" ORDER BY 1').fetchall() for name in names]
    return rows, media_hashes(settings)


def test_restore_only_succeeds_or_refuses_and_a_refusal_changes_nothing(
    sqlite_settings: Settings, tmp_path: Path
) -> None:
    target = sqlite_settings
    populate(target)
    good = tmp_path / "good.tar.gz"
    backup(target, good)
    members = read_members(good)
    tried = tmp_path / "tried.tar.gz"
    outcomes: dict[str, int] = {"restored": 0, "refused": 0}

    @FUZZ
    @given(data=archives(members, good.read_bytes()))
    def restore_gives_a_verdict(data: bytes) -> None:
        tried.write_bytes(data)
        before = snapshot(target)
        try:
            restore(target, tried, replace=True)
        except BackupError as exc:
            sentence = str(exc)
            assert sentence.endswith(".") and "\n" not in sentence
            assert snapshot(target) == before
            outcomes["refused"] += 1
        else:
            outcomes["restored"] += 1
        assert not (target.data_dir / "escaped.mp4").exists()
        assert not Path("/tmp/escaped.mp4").exists()

    restore_gives_a_verdict()
    assert outcomes["refused"] > 0
