"""Media storage: the local folder and S3 (a moto server over HTTP) behave the same."""

from __future__ import annotations

import logging
import os
import time
import urllib.request
import uuid
from email.message import Message
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, urlparse

import boto3
import pytest

from app.settings import Settings
from app.storage import (
    LocalStorage,
    MediaNotFound,
    S3Storage,
    Storage,
    StorageError,
    attachment_disposition,
    get_storage,
)
from tests.helpers import free_port

# tests/moto_server.py is a pytest plugin (tests/conftest.py); importing it here first would
# stop pytest rewriting its asserts.
if TYPE_CHECKING:
    from tests.moto_server import MotoIAM

MB = 1024 * 1024
REGION = "us-east-1"
ACCESS_KEY_ID = "testing"
SECRET_ACCESS_KEY = "testing"


def s3_client(endpoint: str):  # type: ignore[no-untyped-def]
    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name=REGION,
        aws_access_key_id=ACCESS_KEY_ID,
        aws_secret_access_key=SECRET_ACCESS_KEY,
    )


def new_bucket(endpoint: str) -> str:
    bucket = f"chalk-{uuid.uuid4().hex[:16]}"
    s3_client(endpoint).create_bucket(Bucket=bucket)
    return bucket


def s3_settings(tmp_path: Path, endpoint: str, bucket: str, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "data_dir": tmp_path / "data",
        "s3_bucket": bucket,
        "s3_endpoint_url": endpoint,
        "s3_region": REGION,
        "s3_access_key_id": ACCESS_KEY_ID,
        "s3_secret_access_key": SECRET_ACCESS_KEY,
        "s3_multipart_threshold_mb": 5,
    }
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


@pytest.fixture(params=["local", "s3"])
def storage(request: pytest.FixtureRequest, tmp_path: Path) -> Storage:
    if request.param == "local":
        return LocalStorage(tmp_path / "media")
    endpoint = request.getfixturevalue("moto_endpoint")
    return S3Storage(s3_settings(tmp_path, endpoint, new_bucket(endpoint)))


@pytest.fixture
def s3(tmp_path: Path, moto_endpoint: str) -> S3Storage:
    return S3Storage(s3_settings(tmp_path, moto_endpoint, new_bucket(moto_endpoint)))


def fetch(url: str) -> tuple[bytes, Message]:
    """GET over plain HTTP; the headers look up names case-insensitively."""
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read(), response.headers


# -- both stores ---------------------------------------------------------------------------


def test_bytes_round_trip(storage: Storage) -> None:
    key = "renders/abc.json"
    assert not storage.exists(key)
    storage.put_bytes(key, b'{"a": 1}', "application/json")
    assert storage.exists(key)
    assert storage.read_bytes(key) == b'{"a": 1}'
    storage.put_bytes(key, b"replaced", "application/json")
    assert storage.read_bytes(key) == b"replaced"
    storage.delete(key)
    assert not storage.exists(key)
    storage.delete(key)  # deleting a missing object is fine


def test_file_round_trip(storage: Storage, tmp_path: Path) -> None:
    source = tmp_path / "in.mp4"
    source.write_bytes(os.urandom(200_000))
    storage.put_file("renders/v.mp4", source, "video/mp4")
    dest = tmp_path / "out" / "copy.mp4"
    storage.get_file("renders/v.mp4", dest)
    assert dest.read_bytes() == source.read_bytes()
    # get_file replaces what was at dest.
    dest.write_bytes(b"old")
    storage.get_file("renders/v.mp4", dest)
    assert dest.read_bytes() == source.read_bytes()


def test_missing_object_is_media_not_found(storage: Storage, tmp_path: Path) -> None:
    with pytest.raises(MediaNotFound, match="no longer in the media store"):
        storage.read_bytes("renders/missing.mp4")
    with pytest.raises(MediaNotFound):
        storage.get_file("renders/missing.mp4", tmp_path / "x.mp4")
    assert not (tmp_path / "x.mp4").exists()


BAD_KEYS = [
    "../x",
    "/etc/passwd",
    "renders/../../x",
    "renders/./x",
    "renders//x",
    "renders/",
    "",
    "a\\b",
    "..\\x",
    "renders/ä.mp4",
    "a b",
    "x\x00y",
    "x" * 600,
]


@pytest.mark.parametrize("key", BAD_KEYS)
def test_unsafe_keys_are_rejected(storage: Storage, key: str, tmp_path: Path) -> None:
    source = tmp_path / "f"
    source.write_bytes(b"data")
    for operation in (
        lambda: storage.put_bytes(key, b"data", "text/plain"),
        lambda: storage.put_file(key, source, "text/plain"),
        lambda: storage.get_file(key, tmp_path / "dest"),
        lambda: storage.read_bytes(key),
        lambda: storage.exists(key),
        lambda: storage.delete(key),
        lambda: storage.url(key),
        lambda: storage.local_path(key),
    ):
        with pytest.raises(ValueError, match="invalid media key"):
            operation()
    assert not (tmp_path / "dest").exists()


# -- local ---------------------------------------------------------------------------------


def test_local_store_never_writes_outside_its_root(tmp_path: Path) -> None:
    root = tmp_path / "deep" / "media"
    store = LocalStorage(root)
    for key in ("../x", "../../x", "/tmp/x"):
        with pytest.raises(ValueError):
            store.put_bytes(key, b"escape", "text/plain")
    outside = tmp_path / "outside"
    outside.mkdir()
    root.mkdir(parents=True, exist_ok=True)
    (root / "link").symlink_to(outside)
    with pytest.raises(ValueError, match="outside the media folder"):
        store.put_bytes("link/x", b"escape", "text/plain")
    with pytest.raises(ValueError, match="outside the media folder"):
        store.read_bytes("link/x")
    written = sorted(p for p in tmp_path.rglob("*") if p.is_file())
    assert written == [], written


def test_local_write_is_atomic_and_leaves_no_temp_files(tmp_path: Path) -> None:
    store = LocalStorage(tmp_path / "media")
    store.put_bytes("renders/v.mp4", b"first", "video/mp4")
    # A write that fails half way (the source is a folder) keeps the old object.
    with pytest.raises(StorageError, match="could not save a video"):
        store.put_file("renders/v.mp4", tmp_path, "video/mp4")
    assert store.read_bytes("renders/v.mp4") == b"first"
    assert [p.name for p in (tmp_path / "media" / "renders").iterdir()] == ["v.mp4"]


def test_local_url_and_path(tmp_path: Path) -> None:
    store = LocalStorage(tmp_path / "media")
    store.put_bytes("renders/v.mp4", b"video", "video/mp4")
    path = store.local_path("renders/v.mp4")
    assert path == (tmp_path / "media" / "renders" / "v.mp4").resolve()
    assert path is not None and path.read_bytes() == b"video"
    url = store.url("renders/v.mp4", download_name="lesson.mp4")
    assert url == path.as_uri() and url.startswith("file:///")
    assert fetch(url)[0] == b"video"


def test_get_storage_is_local_without_a_bucket(settings: Settings) -> None:
    store = get_storage(settings)
    assert isinstance(store, LocalStorage)
    assert store.root == settings.media_root.resolve()


# -- S3 ------------------------------------------------------------------------------------


def test_large_file_uploads_in_parts_and_reads_back_identical(
    s3: S3Storage, tmp_path: Path
) -> None:
    big = tmp_path / "big.mp4"
    big.write_bytes(os.urandom(12 * MB + 12345))
    s3.put_file("renders/big.mp4", big, "video/mp4")
    head = s3.client.head_object(Bucket=s3.bucket, Key="renders/big.mp4")
    # 12 MB in 5 MB parts: 5 + 5 + 2.
    assert head["ETag"].strip('"').endswith("-3"), head["ETag"]
    assert head["ContentType"] == "video/mp4"
    assert head["ContentLength"] == big.stat().st_size
    back = tmp_path / "back.mp4"
    s3.get_file("renders/big.mp4", back)
    assert back.read_bytes() == big.read_bytes()

    small = tmp_path / "small.png"
    small.write_bytes(os.urandom(1000))
    s3.put_file("renders/small.png", small, "image/png")
    head = s3.client.head_object(Bucket=s3.bucket, Key="renders/small.png")
    assert "-" not in head["ETag"] and head["ContentType"] == "image/png"


def test_presigned_url_serves_the_bytes(s3: S3Storage) -> None:
    data = os.urandom(50_000)
    s3.put_bytes("renders/v.mp4", data, "video/mp4")
    body, headers = fetch(s3.url("renders/v.mp4"))
    assert body == data
    assert headers["Content-Type"] == "video/mp4"
    assert "attachment" not in (headers["Content-Disposition"] or "")


def test_download_url_makes_browsers_save_under_the_name(s3: S3Storage) -> None:
    s3.put_bytes("renders/v.mp4", b"video", "video/mp4")
    body, headers = fetch(s3.url("renders/v.mp4", download_name="Circle area.mp4"))
    assert body == b"video"
    disposition = headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert 'filename="Circle area.mp4"' in disposition
    _, headers = fetch(s3.url("renders/v.mp4", download_name="Kreisfläche.mp4"))
    disposition = headers["Content-Disposition"]
    assert 'filename="Kreisfl_che.mp4"' in disposition
    assert "filename*=UTF-8''Kreisfl%C3%A4che.mp4" in disposition


def test_attachment_name_cannot_break_the_header() -> None:
    value = attachment_disposition('a"b\\c\r\nX-Evil: 1/../d;.mp4')
    assert "\r" not in value and "\n" not in value
    fallback = value.split('filename="', 1)[1].split('"', 1)[0]
    assert fallback == "a_b_cX-Evil: 1_.._d;.mp4"
    assert value.isascii()
    assert (
        attachment_disposition("") == "attachment; filename=\"download\"; filename*=UTF-8''download"
    )


def test_presigned_url_expires_after_the_requested_time(s3: S3Storage) -> None:
    # moto does not refuse expired URLs (S3, R2 and MinIO do), so check what Chalk signs: the
    # validity window starts now and lasts exactly the requested (or configured) seconds.
    s3.put_bytes("renders/v.mp4", b"video", "video/mp4")
    for expires_s, wanted in ((None, s3.expiry_s), (90, 90)):
        url = s3.url("renders/v.mp4", expires_s=expires_s)
        query = parse_qs(urlparse(url).query)
        assert query["X-Amz-Expires"] == [str(wanted)]
        assert query["X-Amz-Algorithm"] == ["AWS4-HMAC-SHA256"]
        signed_at = time.mktime(time.strptime(query["X-Amz-Date"][0], "%Y%m%dT%H%M%SZ"))
        assert abs(signed_at - time.mktime(time.gmtime())) < 60
    assert s3.expiry_s == 3600


def test_prefix_keeps_objects_under_it(tmp_path: Path, moto_endpoint: str) -> None:
    bucket = new_bucket(moto_endpoint)
    store = S3Storage(s3_settings(tmp_path, moto_endpoint, bucket, s3_prefix="/school-a/"))
    store.put_bytes("renders/v.mp4", b"video", "video/mp4")
    listed = s3_client(moto_endpoint).list_objects_v2(Bucket=bucket)
    assert [obj["Key"] for obj in listed["Contents"]] == ["school-a/renders/v.mp4"]
    assert store.exists("renders/v.mp4") and store.read_bytes("renders/v.mp4") == b"video"
    assert "/school-a/renders/v.mp4?" in store.url("renders/v.mp4")
    assert store.local_path("renders/v.mp4") is None


def test_missing_bucket_is_a_clear_error(tmp_path: Path, moto_endpoint: str) -> None:
    store = S3Storage(s3_settings(tmp_path, moto_endpoint, "chalk-no-such-bucket"))
    source = tmp_path / "v.mp4"
    source.write_bytes(b"video")
    for operation in (
        lambda: store.put_file("renders/v.mp4", source, "video/mp4"),
        lambda: store.put_bytes("renders/v.json", b"{}", "application/json"),
        lambda: store.read_bytes("renders/v.json"),
        lambda: store.exists("renders/v.json"),
        lambda: store.get_file("renders/v.mp4", tmp_path / "dest.mp4"),
    ):
        with pytest.raises(StorageError) as caught:
            operation()
        assert not isinstance(caught.value, MediaNotFound)
        assert caught.value.message == (
            "The media bucket 'chalk-no-such-bucket' does not exist; create it or fix "
            "CHALK_S3_BUCKET."
        )


def test_missing_object_in_existing_bucket_is_not_an_error(s3: S3Storage) -> None:
    assert s3.exists("renders/nothing.json") is False


def test_iam_user_credentials_work(tmp_path: Path, moto_iam: MotoIAM) -> None:
    store = S3Storage(
        s3_settings(
            tmp_path,
            moto_iam.endpoint,
            moto_iam.bucket,
            s3_access_key_id=moto_iam.access_key_id,
            s3_secret_access_key=moto_iam.secret_access_key,
        )
    )
    store.put_bytes("renders/ok.json", b"{}", "application/json")
    assert store.read_bytes("renders/ok.json") == b"{}"


@pytest.mark.parametrize("wrong", ["secret", "key_id"])
def test_wrong_credentials_are_a_clear_error(
    tmp_path: Path, moto_iam: MotoIAM, wrong: str, caplog: pytest.LogCaptureFixture
) -> None:
    secret = "wrong-secret-ZYX987" if wrong == "secret" else moto_iam.secret_access_key
    key_id = "AKIAWRONGWRONGWRONG1" if wrong == "key_id" else moto_iam.access_key_id
    store = S3Storage(
        s3_settings(
            tmp_path,
            moto_iam.endpoint,
            moto_iam.bucket,
            s3_access_key_id=key_id,
            s3_secret_access_key=secret,
        )
    )
    source = tmp_path / "v.mp4"
    source.write_bytes(b"video")
    caplog.set_level(logging.DEBUG, logger="app.storage")
    for operation in (
        lambda: store.put_file("renders/v.mp4", source, "video/mp4"),
        lambda: store.put_bytes("renders/v.json", b"{}", "application/json"),
        lambda: store.read_bytes("renders/v.json"),
    ):
        with pytest.raises(StorageError) as caught:
            operation()
        assert caught.value.message == (
            "The media store refused Chalk's S3 credentials; check CHALK_S3_ACCESS_KEY_ID and "
            "CHALK_S3_SECRET_ACCESS_KEY."
        )
    # HEAD responses carry no error code: a bare 403 says "denied", naming the bucket.
    with pytest.raises(StorageError, match="denied access to bucket 'chalk-iam'"):
        store.exists("renders/v.json")
    assert "failed for s3://chalk-iam/renders/v.mp4" in caplog.text
    assert secret not in caplog.text
    assert moto_iam.secret_access_key not in caplog.text


def test_unreachable_endpoint_is_a_clear_error(tmp_path: Path) -> None:
    port = free_port()  # closed again: nothing listens there
    endpoint = f"http://127.0.0.1:{port}"
    store = S3Storage(s3_settings(tmp_path, endpoint, "chalk-media"))
    with pytest.raises(StorageError) as caught:
        store.read_bytes("renders/v.json")
    assert caught.value.message == (
        f"Chalk could not reach the media store at {endpoint}; check CHALK_S3_ENDPOINT_URL "
        "and the network."
    )


def test_half_set_credentials_are_refused(tmp_path: Path, moto_endpoint: str) -> None:
    with pytest.raises(StorageError, match="Set both CHALK_S3_ACCESS_KEY_ID"):
        S3Storage(s3_settings(tmp_path, moto_endpoint, "b-ucket", s3_secret_access_key=None))


def test_get_storage_uses_s3_when_a_bucket_is_set(tmp_path: Path, moto_endpoint: str) -> None:
    settings = s3_settings(tmp_path, moto_endpoint, new_bucket(moto_endpoint))
    store = get_storage(settings)
    assert isinstance(store, S3Storage)
    assert get_storage(s3_settings(tmp_path, moto_endpoint, settings.s3_bucket)) is store
    other = get_storage(s3_settings(tmp_path, moto_endpoint, settings.s3_bucket, s3_prefix="p"))
    assert other is not store
    store.put_bytes("renders/x.json", b"1", "application/json")
    assert other.exists("renders/x.json") is False
