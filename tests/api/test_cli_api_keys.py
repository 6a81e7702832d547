"""`chalk users api-key create|list|revoke` (one JSON object under --json), and the key it
prints working against the API."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from app.api.main import create_app
from app.settings import get_settings
from tests.accounts.test_cli_users import chalk
from tests.helpers import make_user


@pytest.fixture
def cli_settings(api_settings, monkeypatch):
    monkeypatch.setenv("CHALK_DATA_DIR", str(api_settings.data_dir))
    monkeypatch.setenv("CHALK_DATABASE_URL", api_settings.database)
    get_settings.cache_clear()
    yield api_settings
    get_settings.cache_clear()


def test_create_list_revoke_through_the_cli(cli_settings, monkeypatch, capsys):
    make_user(cli_settings, "ada")
    code, out, _ = chalk(
        monkeypatch, capsys, "api-key", "create", "ada", "--label", "Moodle", "--json"
    )
    assert code == 0
    made = json.loads(out)
    assert {"id", "key", "webhook_secret", "label", "prefix"} <= set(made)
    assert made["label"] == "Moodle" and made["key"].startswith("chalk_")
    assert made["webhook_secret"].startswith("whsec_")

    with TestClient(create_app(cli_settings)) as client:
        auth = {"Authorization": f"Bearer {made['key']}"}
        assert client.get("/v1/jobs", headers=auth).status_code == 200

        code, out, _ = chalk(monkeypatch, capsys, "api-key", "list", "ada", "--json")
        keys = json.loads(out)["keys"]
        assert code == 0 and [k["id"] for k in keys] == [made["id"]]
        assert "key" not in keys[0] and keys[0]["active"] and keys[0]["last_used_at"]

        code, out, _ = chalk(monkeypatch, capsys, "api-key", "revoke", "ada", made["id"], "--json")
        assert code == 0 and json.loads(out)["key"]["active"] is False
        assert client.get("/v1/jobs", headers=auth).status_code == 401

    code, out, _ = chalk(monkeypatch, capsys, "api-key", "revoke", "ada", "nope", "--json")
    assert code == 1 and json.loads(out)["error"]["message"] == "There is no API key with id nope."
    code, out, _ = chalk(monkeypatch, capsys, "api-key", "create", "nobody", "--json")
    assert code == 1 and json.loads(out)["error"]["message"] == "There is no user nobody."
