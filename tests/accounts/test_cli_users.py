"""`chalk users`: add (password from stdin), list, set-role, disable/enable, set-password and
invite, with exit codes and one JSON object under --json."""

from __future__ import annotations

import io
import json
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.accounts import users
from app.accounts.invites import invite_problem
from app.cli import main
from app.settings import Settings, get_settings
from tests.jobs.conftest import CHALK, env_for


@pytest.fixture
def cli_settings(db_settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[Settings]:
    """`chalk` run in-process against the test database."""
    monkeypatch.setenv("CHALK_DATA_DIR", str(db_settings.data_dir))
    monkeypatch.setenv("CHALK_DATABASE_URL", db_settings.database)
    get_settings.cache_clear()
    yield get_settings()
    get_settings.cache_clear()


def chalk(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: str, stdin: str = ""
) -> tuple[int, str, str]:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = main(["users", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_add_list_promote_disable(cli_settings, monkeypatch, capsys):
    code, out, _ = chalk(
        monkeypatch, capsys, "add", "Ada", "--email", "ada@example.org", "--password-stdin",
        stdin="first password\n",
    )  # fmt: skip
    assert (code, out) == (0, "added ada (admin)\n")
    code, out, _ = chalk(
        monkeypatch, capsys, "add", "bob", "--role", "teacher", "--password-stdin", "--json",
        stdin="second password\n",
    )  # fmt: skip
    data = json.loads(out)
    assert code == 0 and data["status"] == "succeeded" and data["user"]["role"] == "teacher"
    assert "password" not in out

    code, out, _ = chalk(monkeypatch, capsys, "list", "--json")
    listed = {u["username"]: u for u in json.loads(out)["users"]}
    assert code == 0 and set(listed) == {"ada", "bob"}
    assert (listed["ada"]["role"], listed["ada"]["email"]) == ("admin", "ada@example.org")

    code, _, err = chalk(monkeypatch, capsys, "set-role", "ada", "teacher")
    assert code == 1 and "ada is the only admin; make someone else admin first." in err
    assert chalk(monkeypatch, capsys, "set-role", "bob", "admin")[:2] == (0, "bob is now admin\n")
    assert chalk(monkeypatch, capsys, "disable", "ada")[:2] == (0, "ada is disabled\n")
    assert users.find_account(settings=cli_settings, username="ada").disabled
    assert chalk(monkeypatch, capsys, "enable", "ada")[:2] == (0, "ada is enabled\n")

    code, out, _ = chalk(monkeypatch, capsys, "disable", "nobody", "--json")
    assert code == 1
    assert json.loads(out)["error"]["message"] == "There is no user nobody."


def test_passwords_come_only_from_stdin_and_must_be_good(cli_settings, monkeypatch, capsys):
    code, _, err = chalk(monkeypatch, capsys, "add", "ada")
    assert code == 2 and "--password-stdin" in err
    code, _, err = chalk(monkeypatch, capsys, "add", "ada", "--password-stdin", stdin="short\n")
    assert code == 1 and "Choose a password of at least 8 characters." in err
    code, _, err = chalk(monkeypatch, capsys, "add", "a b", "--password-stdin", stdin="long one!\n")
    assert code == 1 and "Choose a username" in err
    assert users.list_accounts(settings=cli_settings) == []


def test_set_password_and_invite(cli_settings, monkeypatch, capsys):
    chalk(monkeypatch, capsys, "add", "ada", "--password-stdin", stdin="first password\n")
    code, out, _ = chalk(
        monkeypatch, capsys, "set-password", "ada", "--password-stdin", stdin="second password\n"
    )
    assert (code, out) == (0, "new password set for ada\n")
    creds = users.authenticator_credentials(settings=cli_settings, client="local")["usernames"][
        "ada"
    ]
    from app.accounts.passwords import verify_password

    assert verify_password("second password", creds["password"])
    code, out, _ = chalk(monkeypatch, capsys, "invite", "--uses", "3", "--json")
    data = json.loads(out)
    assert code == 0 and data["uses"] == 3 and data["role"] == "teacher"
    assert invite_problem(settings=cli_settings, code=data["code"]) is None


def test_the_installed_command(sqlite_settings: Settings, tmp_path: Path):
    """The real entry point, a subprocess reading the password from a pipe."""
    proc = subprocess.run(
        [str(CHALK), "users", "add", "ada", "--password-stdin", "--json"],
        input="piped password\n",
        env=env_for(sqlite_settings),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["user"]["username"] == "ada"
    assert "piped password" not in proc.stdout + proc.stderr
