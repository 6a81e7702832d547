"""Another user's resources are invisible through every route (404, never 403), videos can
be listed, searched, renamed, shared, downloaded and deleted, and keys stop working at once
when revoked or when their user is disabled."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from app.accounts import api_keys, users
from app.settings import Settings
from tests.api.conftest import Teacher
from tests.api.test_jobs_api import CIRCLE, PROBLEM, wait_job


@pytest.fixture
def ada_video(client: TestClient, ada: Teacher) -> dict:
    job = client.post(
        "/v1/jobs", json={"prompt": CIRCLE, "generator": "offline"}, headers=ada.auth
    ).json()
    done = wait_job(client, ada, job["job_id"])
    assert done["state"] == "succeeded", done["error"]
    return done


def test_videos_list_search_patch_download_delete(client: TestClient, ada: Teacher, ada_video):
    video_id = ada_video["video_id"]
    page = client.get("/v1/videos", headers=ada.auth).json()
    assert page["total"] == 1 and page["pages"] == 1 and page["items"][0]["id"] == video_id
    assert client.get("/v1/videos", params={"q": "circle"}, headers=ada.auth).json()["total"] == 1
    assert client.get("/v1/videos", params={"q": "zebra"}, headers=ada.auth).json()["total"] == 0
    bad_page = client.get("/v1/videos", params={"per_page": 0}, headers=ada.auth)
    assert bad_page.status_code == 422 and bad_page.json()["field"] == "per_page"

    changed = client.patch(
        f"/v1/videos/{video_id}",
        json={"title": "  Area of a circle ", "visibility": "link"},
        headers=ada.auth,
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["title"] == "Area of a circle"
    assert changed.json()["visibility"] == "link" and changed.json()["share_token"]
    empty = client.patch(f"/v1/videos/{video_id}", json={"title": " "}, headers=ada.auth)
    assert empty.status_code == 422 and empty.json()["field"] == "title"

    download = client.get(f"/v1/videos/{video_id}/download", headers=ada.auth)
    assert download.status_code == 200 and download.headers["content-type"] == "video/mp4"
    assert (
        len(download.content)
        == client.get(f"/v1/videos/{video_id}", headers=ada.auth).json()["size_bytes"]
    )
    assert "Area%20of%20a%20circle.mp4" in download.headers["content-disposition"]

    assert client.delete(f"/v1/videos/{video_id}", headers=ada.auth).status_code == 204
    assert client.get(f"/v1/videos/{video_id}", headers=ada.auth).status_code == 404
    assert client.get("/v1/videos", headers=ada.auth).json()["total"] == 0


def test_another_users_job_batch_and_video_are_404_on_every_route(
    client: TestClient, ada: Teacher, bob: Teacher, ada_video
):
    job_id, video_id = ada_video["job_id"], ada_video["video_id"]
    batch_id = client.post(
        "/v1/batches", json={"jobs": [{"prompt": CIRCLE, "generator": "offline"}]}, headers=ada.auth
    ).json()["batch_id"]
    routes = [
        ("GET", f"/v1/jobs/{job_id}", None),
        ("POST", f"/v1/jobs/{job_id}/cancel", None),
        ("GET", f"/v1/batches/{batch_id}", None),
        ("GET", f"/v1/videos/{video_id}", None),
        ("PATCH", f"/v1/videos/{video_id}", {"title": "mine now"}),
        ("PATCH", f"/v1/videos/{video_id}", {"visibility": "nonsense"}),
        ("GET", f"/v1/videos/{video_id}/download", None),
        ("DELETE", f"/v1/videos/{video_id}", None),
    ]
    for method, path, body in routes:
        theirs = client.request(method, path, json=body, headers=bob.auth)
        nothing = client.request(
            method, path.replace(job_id, "f" * 32), json=body, headers=bob.auth
        )
        if body and "nonsense" in str(body):
            # Invalid input is refused before anything is looked up, the same for any id.
            assert theirs.status_code == nothing.status_code == 422
            continue
        assert theirs.status_code == 404, (method, path, theirs.text)
        assert theirs.headers["content-type"] == PROBLEM and theirs.json()["kind"] == "not_found"
    # Lists show only one's own.
    assert client.get("/v1/jobs", headers=bob.auth).json()["jobs"] == []
    assert client.get("/v1/videos", headers=bob.auth).json()["total"] == 0
    assert client.get("/v1/videos", params={"q": "circle"}, headers=bob.auth).json()["total"] == 0
    # And nothing of Ada's changed.
    mine = client.get(f"/v1/videos/{video_id}", headers=ada.auth).json()
    assert mine["title"] != "mine now" and mine["visibility"] == "private"
    assert client.get(f"/v1/jobs/{job_id}", headers=ada.auth).json()["state"] == "succeeded"


def test_a_revoked_key_fails_at_once_and_others_keep_working(
    client: TestClient, ada: Teacher, api_settings: Settings
):
    second = api_keys.create_key(settings=api_settings, user_id=ada.user_id, label="script")
    assert client.get("/v1/jobs", headers=ada.auth).status_code == 200
    api_keys.revoke_key(settings=api_settings, user_id=ada.user_id, key_id=ada.key_id)
    refused = client.get("/v1/jobs", headers=ada.auth)
    assert refused.status_code == 401 and refused.json()["kind"] == "unauthorized"
    other = {"Authorization": f"Bearer {second.key}"}
    assert client.get("/v1/jobs", headers=other).status_code == 200
    listed = {key.id: key for key in api_keys.list_keys(settings=api_settings, user_id=ada.user_id)}
    assert not listed[ada.key_id].active and listed[second.view.id].active
    assert listed[second.view.id].last_used_at is not None


def test_a_disabled_users_keys_fail_at_once(client: TestClient, ada: Teacher, api_settings):
    assert client.get("/v1/templates", headers=ada.auth).status_code == 200
    users.set_disabled(settings=api_settings, username="ada", disabled=True)
    assert client.get("/v1/templates", headers=ada.auth).status_code == 401
    users.set_disabled(settings=api_settings, username="ada", disabled=False)
    assert client.get("/v1/templates", headers=ada.auth).status_code == 200


def test_only_a_hash_of_the_key_is_stored(api_settings: Settings, ada: Teacher):
    from sqlalchemy import select

    from app.db.engine import session_scope
    from app.db.models import ApiKey

    with session_scope(api_settings) as session:
        row = session.scalars(select(ApiKey).where(ApiKey.id == ada.key_id)).one()
        stored = [str(value) for value in vars(row).values()]
    assert all(ada.key not in value for value in stored)
    assert row.key_hash == api_keys.hash_key(ada.key) and ada.key.startswith(row.key_prefix)
    # Another user cannot revoke it.
    with pytest.raises(api_keys.ApiKeyNotFound):
        api_keys.revoke_key(settings=api_settings, user_id=ada.user_id + 1, key_id=ada.key_id)
