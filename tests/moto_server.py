"""S3 for tests: moto's server as a separate process on loopback, spoken to over HTTP by boto3.

A pytest plugin that tests/conftest.py loads for every test (`pytest_plugins`). Fixtures:

- `moto_endpoint`: the URL of a moto server that accepts any credentials.
- `moto_iam`: a second server that checks signatures against its IAM users (one user with
  full S3 access is created, then checking is switched on), for credential tests. Moto
  cannot check presigned URLs in this mode, so only use it for signed API calls.

A server that cannot start fails the test with the reason; it is never skipped.
"""

from __future__ import annotations

import ctypes
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.helpers import free_port

REGION = "us-east-1"
ACCESS_KEY_ID = "testing"
SECRET_ACCESS_KEY = "testing"
START_TIMEOUT_S = 30
PR_SET_PDEATHSIG = 1


def _log_tail(path: Path) -> str:
    try:
        return path.read_text(errors="replace")[-2000:]
    except OSError:
        return ""


@dataclass
class MotoProcess:
    process: subprocess.Popen[bytes]
    endpoint: str
    log: Path

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)


def _die_with_parent() -> None:
    # A test run that is killed outright must not leave the server behind (Linux prctl).
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def start_moto(log_dir: Path) -> MotoProcess:
    """Start `python -m moto.server` on a free loopback port and wait until it answers."""
    port = free_port()
    log = log_dir / f"moto-{port}.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "MOTO_"))}
    with open(log, "wb") as log_file:
        process = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
            stdout=log_file,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=env,
            preexec_fn=_die_with_parent,
        )
    endpoint = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + START_TIMEOUT_S
    last_error: Exception | None = None
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(
                f"moto server exited with code {process.returncode} before answering:\n"
                f"{_log_tail(log)}",
                pytrace=False,
            )
        try:
            # The moto API answers without counting as an S3/IAM request.
            with urllib.request.urlopen(f"{endpoint}/moto-api/data.json", timeout=2):
                return MotoProcess(process, endpoint, log)
        except OSError as exc:
            last_error = exc
            time.sleep(0.05)
    process.kill()
    process.wait(timeout=10)
    pytest.fail(
        f"moto server did not answer on {endpoint} within {START_TIMEOUT_S} s "
        f"({last_error!r}):\n{_log_tail(log)}",
        pytrace=False,
    )


@pytest.fixture(scope="session")
def moto_log_dir() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="chalk-moto-") as tmp:
        yield Path(tmp)


@pytest.fixture(scope="session")
def moto_endpoint(moto_log_dir: Path) -> Iterator[str]:
    """URL of a moto S3 server that accepts any credentials."""
    server = start_moto(moto_log_dir)
    try:
        yield server.endpoint
    finally:
        server.stop()


@dataclass(frozen=True)
class MotoIAM:
    endpoint: str
    bucket: str
    access_key_id: str
    secret_access_key: str


@pytest.fixture(scope="session")
def moto_iam(moto_log_dir: Path) -> Iterator[MotoIAM]:
    """A moto server that checks credentials; one IAM user may use S3, and one bucket exists."""
    import boto3

    server = start_moto(moto_log_dir)
    try:
        admin = {
            "endpoint_url": server.endpoint,
            "region_name": REGION,
            "aws_access_key_id": ACCESS_KEY_ID,
            "aws_secret_access_key": SECRET_ACCESS_KEY,
        }
        bucket = "chalk-iam"
        boto3.client("s3", **admin).create_bucket(Bucket=bucket)
        iam = boto3.client("iam", **admin)
        iam.create_user(UserName="chalk")
        iam.put_user_policy(
            UserName="chalk",
            PolicyName="media",
            PolicyDocument=json.dumps(
                {
                    "Version": "2012-10-17",
                    "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}],
                }
            ),
        )
        key = iam.create_access_key(UserName="chalk")["AccessKey"]
        # From now on every request must be signed by a known IAM key.
        request = urllib.request.Request(
            f"{server.endpoint}/moto-api/reset-auth",
            data=b"0",
            method="POST",
            headers={"Content-Type": "text/plain"},
        )
        with urllib.request.urlopen(request, timeout=10):
            pass
        yield MotoIAM(server.endpoint, bucket, key["AccessKeyId"], key["SecretAccessKey"])
    finally:
        server.stop()
