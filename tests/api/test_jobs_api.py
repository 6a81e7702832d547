"""Contract of /v1/jobs, /v1/batches, templates, generate and health: status codes, bodies,
problem+json errors with the field named, Retry-After on quotas."""

from __future__ import annotations

import threading
import time

from fastapi.testclient import TestClient

from app.api import API_VERSION
from app.jobs.service import PROMPT_MAX_CHARS
from app.settings import Settings
from tests.api.conftest import Teacher
from tests.helpers import wait_for
from tests.jobs.conftest import scene

PROBLEM = "application/problem+json"
CIRCLE = "show why the area of a circle is pi r squared"


def wait_job(client: TestClient, who: Teacher, job_id: str, timeout: float = 30) -> dict:
    def final() -> dict | None:
        body = client.get(f"/v1/jobs/{job_id}", headers=who.auth).json()
        return body if body["state"] in ("succeeded", "failed", "cancelled") else None

    done = wait_for(final, timeout, every=0.05)
    assert done, f"job {job_id} did not finish"
    return done


def test_health_needs_no_key_and_carries_the_version(client: TestClient):
    response = client.get("/v1/health")
    assert response.status_code in (200, 503)
    assert response.headers["Chalk-API-Version"] == API_VERSION
    assert {"status", "checks"} <= set(response.json())
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "no-store"


def test_a_prompt_job_is_accepted_then_succeeds_with_a_video(client: TestClient, ada: Teacher):
    response = client.post(
        "/v1/jobs", json={"prompt": CIRCLE, "generator": "offline"}, headers=ada.auth
    )
    assert response.status_code == 202, response.text
    job = response.json()
    assert job["state"] in ("queued", "running") and job["owner"] == "ada"
    assert response.headers["Chalk-API-Version"] == API_VERSION
    done = wait_job(client, ada, job["job_id"])
    assert done["state"] == "succeeded", done["error"]
    assert done["template"] and done["video_id"]
    assert done["generator_used"] == f"offline:{done['template']}"
    listed = client.get("/v1/jobs", params={"state": "succeeded"}, headers=ada.auth).json()
    assert [j["job_id"] for j in listed["jobs"]] == [job["job_id"]]
    assert client.get("/v1/jobs", params={"state": "queued"}, headers=ada.auth).json()["jobs"] == []


def test_code_job_and_templates_and_generate(client: TestClient, ada: Teacher, fake_renderer):
    code = scene("text_scene")
    job = client.post("/v1/jobs", json={"code": code}, headers=ada.auth).json()
    assert wait_job(client, ada, job["job_id"])["state"] == "succeeded"
    assert fake_renderer[-1].strip().startswith("from manim import") or "class" in fake_renderer[-1]
    templates = client.get("/v1/templates", headers=ada.auth).json()["templates"]
    assert templates and {"id", "title"} <= set(templates[0])
    generated = client.post(
        "/v1/generate", json={"prompt": CIRCLE, "generator": "offline"}, headers=ada.auth
    )
    assert generated.status_code == 200, generated.text
    body = generated.json()
    assert "class" in body["code"] and body["generator"].startswith("offline:")
    assert body["template"] in {t["id"] for t in templates}


def test_missing_and_wrong_keys_are_401_problems(client: TestClient, ada: Teacher):
    for headers in ({}, {"Authorization": "Bearer chalk_not-a-key"}, {"Authorization": "Basic x"}):
        response = client.get("/v1/jobs", headers=headers)
        assert response.status_code == 401
        assert response.headers["content-type"] == PROBLEM
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
        body = response.json()
        assert body["kind"] == "unauthorized" and body["status"] == 401
        assert body["instance"] == "/v1/jobs" and body["detail"].endswith(".")


def test_invalid_input_is_422_naming_the_field(client: TestClient, ada: Teacher):
    response = client.post(
        "/v1/jobs", json={"prompt": CIRCLE, "quality": "ultra"}, headers=ada.auth
    )
    assert response.status_code == 422 and response.headers["content-type"] == PROBLEM
    assert response.json()["field"] == "quality" and response.json()["kind"] == "validation"
    both = client.post("/v1/jobs", json={"prompt": CIRCLE, "code": "x"}, headers=ada.auth)
    assert both.status_code == 422 and "either a prompt or code" in both.json()["detail"]
    blank = client.post("/v1/jobs", json={"prompt": "   "}, headers=ada.auth)
    assert blank.status_code == 422 and blank.json()["field"] == "prompt"
    batch = client.post(
        "/v1/batches", json={"jobs": [{"prompt": CIRCLE, "aspect": "4:3"}]}, headers=ada.auth
    )
    assert batch.status_code == 422 and batch.json()["field"] == "jobs[0].aspect"
    hook = client.post(
        "/v1/jobs", json={"prompt": CIRCLE, "webhook_url": "ftp://x.org/h"}, headers=ada.auth
    )
    assert hook.status_code == 422 and hook.json()["field"] == "webhook_url"


def test_oversized_prompt_code_and_body_are_413(
    client: TestClient, ada: Teacher, api_settings: Settings
):
    long_prompt = client.post(
        "/v1/jobs", json={"prompt": "x" * (PROMPT_MAX_CHARS + 1)}, headers=ada.auth
    )
    assert long_prompt.status_code == 413 and long_prompt.json()["field"] == "prompt"
    big_code = "# " + "x" * api_settings.max_code_bytes
    assert client.post("/v1/jobs", json={"code": big_code}, headers=ada.auth).status_code == 413
    in_batch = client.post(
        "/v1/batches", json={"jobs": [{"prompt": CIRCLE}, {"code": big_code}]}, headers=ada.auth
    )
    assert in_batch.status_code == 413 and in_batch.json()["field"] == "jobs[1].code"
    huge = b"{" + b" " * (api_settings.api_max_body_kb * 1024 + 1) + b"}"
    too_big = client.post(
        "/v1/jobs", content=huge, headers={**ada.auth, "Content-Type": "application/json"}
    )
    assert too_big.status_code == 413 and too_big.headers["Chalk-API-Version"] == API_VERSION


def test_a_quota_refusal_is_429_with_retry_after(api_settings: Settings, ada: Teacher):
    from app.api.main import create_app

    quotas = {"teacher": {"submits_per_minute": 2}}
    with TestClient(
        create_app(api_settings.model_copy(update={"quotas": Settings(quotas=quotas).quotas}))
    ) as client:
        for _ in range(2):
            assert (
                client.post(
                    "/v1/jobs", json={"prompt": CIRCLE, "generator": "offline"}, headers=ada.auth
                ).status_code
                == 202
            )
        refused = client.post(
            "/v1/jobs", json={"prompt": CIRCLE, "generator": "offline"}, headers=ada.auth
        )
    assert refused.status_code == 429 and refused.json()["kind"] == "quota"
    assert refused.headers["Retry-After"] == "60"
    assert "in the last minute" in refused.json()["detail"]


def test_cancel_a_queued_job_then_cancelling_again_is_409(
    client: TestClient, ada: Teacher, monkeypatch
):
    # Nothing runs: the queue only records the job, so it stays queued until cancelled.
    monkeypatch.setattr("app.jobs.backends.InlineBackend.enqueue", lambda *args: None)
    job = client.post("/v1/jobs", json={"prompt": CIRCLE}, headers=ada.auth).json()
    cancelled = client.post(f"/v1/jobs/{job['job_id']}/cancel", headers=ada.auth)
    assert cancelled.status_code == 202 and cancelled.json()["state"] == "cancelled"
    again = client.post(f"/v1/jobs/{job['job_id']}/cancel", headers=ada.auth)
    assert again.status_code == 409 and again.headers["content-type"] == PROBLEM
    assert client.get(f"/v1/jobs/{job['job_id']}", headers=ada.auth).json()["state"] == "cancelled"


def test_a_batch_counts_its_jobs_by_state(client: TestClient, ada: Teacher):
    jobs = [
        {"prompt": CIRCLE, "generator": "offline"},
        {"code": scene("text_scene")},
        {"prompt": "zzz qqq", "generator": "offline"},
    ]
    made = client.post("/v1/batches", json={"jobs": jobs}, headers=ada.auth)
    assert made.status_code == 202, made.text
    batch_id, job_ids = made.json()["batch_id"], made.json()["job_ids"]
    assert len(job_ids) == 3

    def finished() -> dict | None:
        body = client.get(f"/v1/batches/{batch_id}", headers=ada.auth).json()
        return body if body["finished"] else None

    done = wait_for(finished, 30, every=0.05)
    assert done and done["total"] == 3 and sorted(done["job_ids"]) == sorted(job_ids)
    assert done["counts"]["succeeded"] == 2 and done["counts"]["failed"] == 1
    assert done["counts"]["queued"] == done["counts"]["running"] == 0
    too_many = client.post(
        "/v1/batches", json={"jobs": [{"prompt": CIRCLE}] * 51}, headers=ada.auth
    )
    assert too_many.status_code == 422 and too_many.json()["field"] == "jobs"


def test_a_refused_batch_leaves_no_job_behind(api_settings: Settings, ada: Teacher, monkeypatch):
    from app.api.main import create_app

    monkeypatch.setattr("app.jobs.backends.InlineBackend.enqueue", lambda *args: None)
    quotas = Settings(quotas={"teacher": {"queued_jobs": 2}}).quotas
    with TestClient(create_app(api_settings.model_copy(update={"quotas": quotas}))) as client:
        refused = client.post(
            "/v1/batches", json={"jobs": [{"prompt": CIRCLE}] * 3}, headers=ada.auth
        )
        assert refused.status_code == 429 and refused.headers["Retry-After"] == "30"
        assert "waiting or in progress" in refused.json()["detail"]
        active = client.get("/v1/jobs", params={"state": ["queued", "running"]}, headers=ada.auth)
    assert active.json()["jobs"] == []


def test_a_teachers_batch_of_50_is_one_submit_and_runs_three_at_a_time(
    api_settings: Settings, ada: Teacher, monkeypatch
):
    """The default teacher limits: 6 submits a minute count a batch once, 3 jobs in flight,
    the rest wait for a free slot (app/jobs/dispatch.py) instead of being refused."""
    from app.api.main import create_app

    queued: list[str] = []
    monkeypatch.setattr(
        "app.jobs.backends.InlineBackend.enqueue", lambda self, job_id, *args: queued.append(job_id)
    )
    unlimited_days = Settings(quotas={"teacher": {"videos_per_day": None}}).quotas
    settings = api_settings.model_copy(update={"quotas": unlimited_days})
    with TestClient(create_app(settings)) as client:
        made = client.post(
            "/v1/batches", json={"jobs": [{"prompt": CIRCLE}] * 50}, headers=ada.auth
        )
        assert made.status_code == 202, made.text
        counts = client.get(f"/v1/batches/{made.json()['batch_id']}", headers=ada.auth).json()
        one_more = client.post("/v1/jobs", json={"prompt": CIRCLE}, headers=ada.auth)
    assert counts["total"] == 50 and counts["counts"]["queued"] == 50
    assert queued == made.json()["job_ids"][:3]  # in flight: the teacher's 3 slots
    assert one_more.status_code == 429 and one_more.json()["kind"] == "quota"


def test_status_calls_are_answered_while_slow_submits_fill_their_threads(
    client: TestClient, ada: Teacher, monkeypatch
):
    """Submits have threads of their own (app.api.lanes): a burst of slow ones (batches
    under load take seconds) never holds the threads that status and list calls run in."""
    from concurrent.futures import ThreadPoolExecutor

    from app import api_jobs
    from app.api.main import request_threads

    release, started = threading.Event(), threading.Semaphore(0)
    real_submit = api_jobs.submit_job

    def slow_submit(**kwargs):
        started.release()
        release.wait(30)
        return real_submit(**kwargs)

    monkeypatch.setattr(api_jobs, "submit_job", slow_submit)
    others, submits = request_threads(client.app.state.settings)
    burst = others + submits + 2  # more than every handler thread there is
    body = {"prompt": "zzz qqq", "generator": "offline"}
    with ThreadPoolExecutor(burst) as pool:
        pending = [
            pool.submit(client.post, "/v1/jobs", json=body, headers=ada.auth) for _ in range(burst)
        ]
        try:
            for _ in range(submits):  # the submit threads are all taken
                assert started.acquire(timeout=30)
            began = time.monotonic()
            listed = client.get("/v1/jobs", headers=ada.auth)
            assert listed.status_code == 200
            assert time.monotonic() - began < 5
            assert not started.acquire(timeout=0.2)  # and no more submits run than that
        finally:
            release.set()
        assert all(p.result(timeout=60).status_code in (202, 429) for p in pending)
