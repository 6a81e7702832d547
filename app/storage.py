"""Where videos and thumbnails live: a local folder, or an S3-compatible bucket.

Keys are relative, slash-separated names such as `renders/<sha256>.mp4`. They are checked
before every operation (`check_key`), so a key can never name a file outside the local root
or the configured S3 prefix. `get_storage(settings)` picks the store: S3 when
`CHALK_S3_BUCKET` is set (AWS S3, Cloudflare R2 with region "auto", MinIO), otherwise
`LocalStorage(settings.media_root)`.

Failures raise `StorageError` (or `MediaNotFound` for a missing key) whose message is one
sentence a user or operator can act on; the technical detail goes to the log and `.detail`.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import shutil
import tempfile
import threading
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from io import BytesIO
from pathlib import Path
from typing import IO, Any
from urllib.parse import quote

from app.settings import Settings, get_settings

log = logging.getLogger(__name__)

KEY_PATTERN = re.compile(r"[A-Za-z0-9._-]+(?:/[A-Za-z0-9._-]+)*")
"""A media key: path segments of letters, digits, dot, underscore and dash."""

MAX_KEY_LENGTH = 512
"""Longest accepted key (S3 allows 1024 bytes; the prefix needs room too)."""


class StorageError(RuntimeError):
    """The media store failed; `message` is one sentence to show, `detail` is for the log."""

    def __init__(self, message: str, *, detail: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.detail = detail


class MediaNotFound(StorageError):
    """The key is not in the media store."""


def _missing(key: str) -> MediaNotFound:
    return MediaNotFound(
        "This video is no longer in the media store; render it again.", detail=f"missing {key}"
    )


def check_key(key: str) -> str:
    """Return `key` if it is a safe relative media key, else raise ValueError."""
    if (
        not isinstance(key, str)
        or len(key) > MAX_KEY_LENGTH
        or not KEY_PATTERN.fullmatch(key)
        or any(part in (".", "..") for part in key.split("/"))
    ):
        raise ValueError(
            f"invalid media key {key!r}: use relative names of letters, digits and . _ - /"
        )
    return key


def attachment_disposition(filename: str) -> str:
    """A Content-Disposition that makes browsers download the file under `filename`.

    The quoted `filename` is an ASCII-only fallback (no quotes, backslashes or control
    characters, so it cannot break out of the header); `filename*` (RFC 6266/5987) carries
    the exact name, percent-encoded, for browsers that support it.
    """
    name = "".join(ch for ch in filename if ch.isprintable())
    name = name.replace("/", "_").replace("\\", "_").strip()[:150] or "download"
    fallback = re.sub(r'[^\x20-\x7e]|["\\%]', "_", name)
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


class Storage(ABC):
    """A flat store of media objects addressed by relative keys."""

    @abstractmethod
    def put_file(self, key: str, path: Path, content_type: str) -> None:
        """Store the file at `path` under `key`, replacing any object there."""

    @abstractmethod
    def put_bytes(self, key: str, data: bytes, content_type: str) -> None:
        """Store `data` under `key`, replacing any object there."""

    @abstractmethod
    def get_file(self, key: str, dest: Path) -> None:
        """Copy the object to the local file `dest` (created or replaced)."""

    @abstractmethod
    def read_bytes(self, key: str) -> bytes:
        """The object's content; MediaNotFound if there is none."""

    @abstractmethod
    def exists(self, key: str) -> bool:
        """Whether an object is stored under `key`."""

    @abstractmethod
    def delete(self, key: str) -> None:
        """Remove the object; a missing object is not an error."""

    @abstractmethod
    def url(
        self, key: str, *, download_name: str | None = None, expires_s: int | None = None
    ) -> str:
        """A URL to play the object; with `download_name`, browsers download it under that name."""

    @abstractmethod
    def local_path(self, key: str) -> Path | None:
        """The object's file on this machine, or None when the store is remote."""


def _write_atomically(dest: Path, write: Callable[[IO[bytes]], object]) -> None:
    """Write through a temp file in dest's folder, then rename: readers never see half a file."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=dest.parent, prefix=f".{dest.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as file:
            write(file)
            file.flush()
            os.fsync(file.fileno())
        os.replace(tmp, dest)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _copy_from(path: Path) -> Callable[[IO[bytes]], object]:
    def write(file: IO[bytes]) -> None:
        with open(path, "rb") as src:
            shutil.copyfileobj(src, file, 1 << 20)

    return write


class LocalStorage(Storage):
    """Media files under one local folder; writes are atomic (temp file + os.replace).

    `url()` returns a `file://` URI of the file (the UI serves local media through
    `local_path()`, so `download_name` and `expires_s` do not apply and are ignored).
    """

    def __init__(self, root: Path) -> None:
        self.root = Path(root).resolve()

    def __repr__(self) -> str:
        return f"LocalStorage({str(self.root)!r})"

    def path_for(self, key: str) -> Path:
        """The file that holds `key`; ValueError for a key that is unsafe or leaves the root."""
        path = self.root / check_key(key)
        # The key cannot contain "..", but a symlink inside the root could still lead out.
        if not path.resolve().is_relative_to(self.root):
            raise ValueError(f"media key {key!r} leads outside the media folder")
        return path

    @contextmanager
    def _errors(self, action: str, key: str) -> Iterator[None]:
        try:
            yield
        except FileNotFoundError as exc:
            raise _missing(key) from exc
        except OSError as exc:
            log.error("local media store: %s %s failed: %r", action, key, exc)
            raise StorageError(
                f"Chalk could not {action} in the media folder; check that {self.root} exists, "
                "is writable and has free space.",
                detail=repr(exc),
            ) from exc

    def put_file(self, key: str, path: Path, content_type: str) -> None:
        dest = self.path_for(key)
        with self._errors("save a video", key):
            _write_atomically(dest, _copy_from(Path(path)))

    def put_bytes(self, key: str, data: bytes, content_type: str) -> None:
        dest = self.path_for(key)
        with self._errors("save a file", key):
            _write_atomically(dest, lambda file: file.write(data))

    def get_file(self, key: str, dest: Path) -> None:
        src = self.path_for(key)
        if not src.is_file():
            raise _missing(key)
        with self._errors("read a video", key):
            _write_atomically(Path(dest), _copy_from(src))

    def read_bytes(self, key: str) -> bytes:
        path = self.path_for(key)
        with self._errors("read a file", key):
            return path.read_bytes()

    def exists(self, key: str) -> bool:
        return self.path_for(key).is_file()

    def delete(self, key: str) -> None:
        path = self.path_for(key)
        with self._errors("delete a file", key):
            path.unlink(missing_ok=True)

    def url(
        self, key: str, *, download_name: str | None = None, expires_s: int | None = None
    ) -> str:
        return self.path_for(key).as_uri()

    def local_path(self, key: str) -> Path | None:
        return self.path_for(key)


# Error codes S3-compatible stores send for each cause (AWS, R2 and MinIO spell some alike).
_CREDENTIAL_CODES = frozenset(
    {"InvalidAccessKeyId", "SignatureDoesNotMatch", "InvalidToken", "ExpiredToken"}
)
_REGION_CODES = frozenset({"AuthorizationHeaderMalformed", "PermanentRedirect", "301"})
_DENIED_CODES = frozenset({"AccessDenied", "403", "Forbidden"})
_NOT_FOUND_CODES = frozenset({"NoSuchKey", "404", "NotFound"})


class S3Storage(Storage):
    """Media objects in an S3-compatible bucket, under `settings.s3_prefix`.

    Credentials come from the settings when both are set, otherwise from boto3's usual chain
    (environment, shared config, instance role). An endpoint URL (MinIO, R2, moto) switches
    to path-style addressing. Files over `s3_multipart_threshold_mb` upload in parts of that
    size. `url()` returns a presigned GET URL valid for `presign_expiry_s` (or `expires_s`).
    """

    def __init__(self, settings: Settings) -> None:
        # Lazy (here and below): boto3 costs about a second of start-up; only S3 installs use it.
        import boto3
        from boto3.s3.transfer import TransferConfig
        from botocore.config import Config

        if not settings.s3_bucket:
            raise ValueError("S3Storage needs settings.s3_bucket")
        self.bucket = settings.s3_bucket
        self.endpoint_url = settings.s3_endpoint_url
        prefix = settings.s3_prefix.strip("/")
        self.prefix = f"{check_key(prefix)}/" if prefix else ""
        self.expiry_s = settings.presign_expiry_s
        part_bytes = settings.s3_multipart_threshold_mb * 1024 * 1024
        self.transfer = TransferConfig(
            multipart_threshold=part_bytes, multipart_chunksize=part_bytes
        )
        key_id = settings.s3_access_key_id
        secret = settings.s3_secret_access_key
        if bool(key_id) != bool(secret):
            raise StorageError(
                "Set both CHALK_S3_ACCESS_KEY_ID and CHALK_S3_SECRET_ACCESS_KEY, or neither."
            )
        credentials: dict[str, str] = {}
        if key_id and secret:
            credentials = {
                "aws_access_key_id": key_id,
                "aws_secret_access_key": secret.get_secret_value(),
            }
        config = Config(
            signature_version="s3v4",
            s3={"addressing_style": "path" if self.endpoint_url else "auto"},
            retries={"max_attempts": settings.s3_max_attempts, "mode": "standard"},
            connect_timeout=10,
            read_timeout=60,
            # MinIO, R2 and older S3 clones reject or mis-check the newer default checksums.
            request_checksum_calculation="when_required",
            response_checksum_validation="when_required",
        )
        # An own session: boto3's default session is not thread-safe; the client is.
        self.client: Any = boto3.session.Session().client(
            "s3",
            endpoint_url=self.endpoint_url,
            region_name=settings.s3_region,
            config=config,
            **credentials,
        )
        self._bucket_seen = False

    def __repr__(self) -> str:
        where = f" at {self.endpoint_url}" if self.endpoint_url else ""
        return f"S3Storage(s3://{self.bucket}/{self.prefix}{where})"

    def object_key(self, key: str) -> str:
        """The full S3 object key for a media key (prefix included)."""
        return self.prefix + check_key(key)

    # -- error translation ------------------------------------------------------------

    def _translate(self, exc: Exception, action: str, key: str) -> StorageError:
        from boto3.exceptions import S3UploadFailedError
        from botocore.exceptions import (
            ClientError,
            ConnectionError,
            NoCredentialsError,
            PartialCredentialsError,
        )

        if isinstance(exc, S3UploadFailedError) and isinstance(exc.__context__, ClientError):
            exc = exc.__context__  # boto3 wraps the real reason when an upload fails
        where = f"s3://{self.bucket}/{self.object_key(key)}"
        log.warning("S3 %s failed for %s%s: %s", action, where, self._at(), exc)
        detail = f"{where}: {exc}"
        if isinstance(exc, ClientError):
            code = str(exc.response.get("Error", {}).get("Code", ""))
            if code == "NoSuchBucket":
                return self._no_bucket(detail)
            if code in _NOT_FOUND_CODES:
                self._require_bucket()
                return _missing(key)
            if code in _CREDENTIAL_CODES:
                return StorageError(
                    "The media store refused Chalk's S3 credentials; check "
                    "CHALK_S3_ACCESS_KEY_ID and CHALK_S3_SECRET_ACCESS_KEY.",
                    detail=detail,
                )
            if code in _REGION_CODES:
                return StorageError(
                    f"The media bucket '{self.bucket}' is in a different region; check "
                    "CHALK_S3_REGION and CHALK_S3_ENDPOINT_URL.",
                    detail=detail,
                )
            if code in _DENIED_CODES:
                return StorageError(
                    f"The media store denied access to bucket '{self.bucket}'; check the S3 "
                    "credentials and that they may read and write that bucket.",
                    detail=detail,
                )
        elif isinstance(exc, (NoCredentialsError, PartialCredentialsError)):
            return StorageError(
                "No S3 credentials were found; set CHALK_S3_ACCESS_KEY_ID and "
                "CHALK_S3_SECRET_ACCESS_KEY.",
                detail=detail,
            )
        elif isinstance(exc, ConnectionError):
            return StorageError(
                f"Chalk could not reach the media store{self._at()}; check "
                "CHALK_S3_ENDPOINT_URL and the network.",
                detail=detail,
            )
        return StorageError(
            f"The media store could not {action}; please try again, and tell your "
            "administrator if it keeps happening.",
            detail=detail,
        )

    def _at(self) -> str:
        return f" at {self.endpoint_url}" if self.endpoint_url else ""

    def _no_bucket(self, detail: str) -> StorageError:
        return StorageError(
            f"The media bucket '{self.bucket}' does not exist; create it or fix CHALK_S3_BUCKET.",
            detail=detail,
        )

    def _require_bucket(self) -> None:
        """Tell a missing bucket from a missing object (HEAD answers both with a bare 404)."""
        if self._bucket_seen:
            return
        from botocore.exceptions import ClientError

        try:
            self.client.head_bucket(Bucket=self.bucket)
        except ClientError as exc:
            code = str(exc.response.get("Error", {}).get("Code", ""))
            if code in ("NoSuchBucket", "404", "NotFound"):
                raise self._no_bucket(str(exc)) from exc
            return  # e.g. no ListBucket permission: the bucket may well exist
        self._bucket_seen = True

    @contextmanager
    def _errors(self, action: str, key: str) -> Iterator[None]:
        from boto3.exceptions import Boto3Error
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            yield
        except (BotoCoreError, ClientError, Boto3Error) as exc:
            raise self._translate(exc, action, key) from exc

    # -- operations -------------------------------------------------------------------

    def put_file(self, key: str, path: Path, content_type: str) -> None:
        with self._errors("save a video", key):
            self.client.upload_file(
                str(path),
                self.bucket,
                self.object_key(key),
                ExtraArgs={"ContentType": content_type},
                Config=self.transfer,
            )

    def put_bytes(self, key: str, data: bytes, content_type: str) -> None:
        with self._errors("save a file", key):
            self.client.upload_fileobj(
                BytesIO(data),
                self.bucket,
                self.object_key(key),
                ExtraArgs={"ContentType": content_type},
                Config=self.transfer,
            )

    def get_file(self, key: str, dest: Path) -> None:
        dest = Path(dest)
        dest.parent.mkdir(parents=True, exist_ok=True)
        # download_file writes to a temp name next to dest and renames it when complete.
        with self._errors("read a video", key):
            self.client.download_file(
                self.bucket, self.object_key(key), str(dest), Config=self.transfer
            )

    def read_bytes(self, key: str) -> bytes:
        with self._errors("read a file", key):
            response = self.client.get_object(Bucket=self.bucket, Key=self.object_key(key))
            data: bytes = response["Body"].read()
            return data

    def exists(self, key: str) -> bool:
        from botocore.exceptions import ClientError

        with self._errors("check a file", key):
            try:
                self.client.head_object(Bucket=self.bucket, Key=self.object_key(key))
            except ClientError as exc:
                if str(exc.response.get("Error", {}).get("Code", "")) not in _NOT_FOUND_CODES:
                    raise
                self._require_bucket()
                return False
            return True

    def delete(self, key: str) -> None:
        with self._errors("delete a file", key):
            self.client.delete_object(Bucket=self.bucket, Key=self.object_key(key))

    def url(
        self, key: str, *, download_name: str | None = None, expires_s: int | None = None
    ) -> str:
        params = {"Bucket": self.bucket, "Key": self.object_key(key)}
        if download_name:
            params["ResponseContentDisposition"] = attachment_disposition(download_name)
        with self._errors("make a link", key):
            url: str = self.client.generate_presigned_url(
                "get_object", Params=params, ExpiresIn=expires_s or self.expiry_s
            )
            return url

    def local_path(self, key: str) -> Path | None:
        check_key(key)
        return None


_s3_stores: dict[tuple[object, ...], S3Storage] = {}
_s3_stores_lock = threading.Lock()


def get_storage(settings: Settings | None = None) -> Storage:
    """The media store the settings ask for: S3 when a bucket is set, else the local folder.

    S3 stores are reused for equal settings (a boto3 client is thread-safe but slow to make).
    """
    settings = settings or get_settings()
    if not settings.s3_bucket:
        return LocalStorage(settings.media_root)
    secret = settings.s3_secret_access_key
    identity = (
        settings.s3_bucket,
        settings.s3_endpoint_url,
        settings.s3_region,
        settings.s3_access_key_id,
        # Only a digest of the secret is kept in the lookup table.
        hashlib.sha256(secret.get_secret_value().encode()).hexdigest() if secret else None,
        settings.s3_prefix,
        settings.s3_multipart_threshold_mb,
        settings.presign_expiry_s,
        settings.s3_max_attempts,
    )
    with _s3_stores_lock:
        store = _s3_stores.get(identity)
        if store is None:
            store = _s3_stores[identity] = S3Storage(settings)
    return store
