"""Settings: CHALK_ env prefix, .env and secrets.toml, preset merging, the production cookie key."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pydantic import ValidationError

from app.settings import AppUrlError, CookieKeyError, Settings, cookie_key_problem


def test_env_prefix_and_nested_presets(monkeypatch, tmp_path):
    monkeypatch.setenv("CHALK_DATA_DIR", str(tmp_path / "d"))
    monkeypatch.setenv("CHALK_SANDBOX_MODE", "process")
    monkeypatch.setenv(
        "CHALK_QUALITY_PRESETS",
        '{"preview": {"width": 640, "height": 360, "fps": 12, "timeout_s": 30}}',
    )
    settings = Settings()
    assert settings.data_dir == tmp_path / "d"
    assert settings.sandbox_mode == "process"
    assert settings.quality_presets["preview"].width == 640
    # Presets not overridden keep their defaults.
    assert settings.quality_presets["high"].width == 1920


def test_dotenv_file_is_read(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".env").write_text("CHALK_MAX_CODE_BYTES=1234\n")
    assert Settings().max_code_bytes == 1234


def test_bad_values_are_refused():
    with pytest.raises(ValidationError):
        Settings(sandbox_mode="none")
    with pytest.raises(ValidationError):
        Settings(quality_presets={"ultra": {"width": 1, "height": 1, "fps": 1, "timeout_s": 1}})


def test_default_presets_match_the_design():
    presets = Settings().quality_presets
    assert [(p.width, p.height, p.fps) for p in presets.values()] == [
        (854, 480, 15),
        (1280, 720, 30),
        (1920, 1080, 60),
    ]


# --- .streamlit/secrets.toml and the production cookie key ---------------------------------


@pytest.fixture
def secrets_toml(monkeypatch, tmp_path):
    """Write .streamlit/secrets.toml in a fresh working directory (no .env, no CHALK_AUTH_*)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))  # no ~/.streamlit/secrets.toml either
    for name in ("CHALK_ENVIRONMENT", "CHALK_AUTH_COOKIE_KEY", "CHALK_AUTH_COOKIE_NAME"):
        monkeypatch.delenv(name, raising=False)

    def write(text: str) -> None:
        (tmp_path / ".streamlit").mkdir(exist_ok=True)
        (tmp_path / ".streamlit" / "secrets.toml").write_text(text)

    return write


def test_secrets_toml_sets_the_auth_table_and_root_chalk_keys(secrets_toml):
    secrets_toml(
        'CHALK_REGISTRATION = "invite"\nOTHER_APP_KEY = "not ours"\n'
        '[auth]\ncookie_key = "from-the-auth-table"\ncookie_name = "from_toml"\n'
        "cookie_expiry_days = 3\n"
    )
    settings = Settings()
    assert settings.registration == "invite"
    assert settings.auth_cookie_key.get_secret_value() == "from-the-auth-table"
    assert (settings.auth_cookie_name, settings.auth_cookie_expiry_days) == ("from_toml", 3)
    # A root key wins over the [auth] table, as it does where root keys are the environment.
    secrets_toml('CHALK_AUTH_COOKIE_KEY = "from-the-root"\n[auth]\ncookie_key = "from-auth"\n')
    assert Settings().auth_cookie_key.get_secret_value() == "from-the-root"


def test_the_environment_and_dotenv_win_over_secrets_toml(secrets_toml, monkeypatch, tmp_path):
    secrets_toml('CHALK_MAX_CODE_BYTES = 1000\nCHALK_LOG_LEVEL = "ERROR"\n')
    (tmp_path / ".env").write_text("CHALK_MAX_CODE_BYTES=2000\n")
    monkeypatch.setenv("CHALK_LOG_LEVEL", "DEBUG")
    settings = Settings()
    assert (settings.max_code_bytes, settings.log_level) == (2000, "DEBUG")


@pytest.mark.parametrize(
    "toml",
    [
        "",
        '[auth]\ncookie_key = "replace-with-a-long-random-string"\n',
        '[auth]\ncookie_key = "too-short"\n',
    ],
)
def test_production_refuses_a_missing_placeholder_or_short_key(secrets_toml, tmp_path, toml):
    secrets_toml(toml)
    with pytest.raises(CookieKeyError, match="CHALK_AUTH_COOKIE_KEY"):
        Settings(data_dir=tmp_path, environment="production")
    assert not (tmp_path / "secrets").exists()


def test_production_takes_a_real_key(secrets_toml, tmp_path):
    key = "a-real-random-key-" + "x" * 30
    secrets_toml(f'CHALK_APP_URL = "https://chalk.school.org/"\n[auth]\ncookie_key = "{key}"\n')
    settings = Settings(data_dir=tmp_path, environment="production")
    assert settings.auth_cookie_key.get_secret_value() == key
    assert settings.app_url == "https://chalk.school.org"


def test_production_requires_the_app_url_and_it_must_be_an_address(secrets_toml, tmp_path):
    secrets_toml(f'[auth]\ncookie_key = "{"k" * 40}"\n')
    with pytest.raises(AppUrlError, match="set CHALK_APP_URL"):
        Settings(data_dir=tmp_path, environment="production")
    for wrong in ("chalk.school.org", "javascript:alert(1)", "https://"):
        with pytest.raises(ValidationError, match="CHALK_APP_URL must be"):
            Settings(data_dir=tmp_path, app_url=wrong)
    assert Settings(data_dir=tmp_path, app_url="  ").app_url is None


ROOT = Path(__file__).resolve().parent.parent
# Where examples live: the README, *.example files (secrets.toml, .env) and any docs.
EXAMPLE_FILES = [
    ROOT / "README.md",
    *ROOT.glob("*.example"),
    *ROOT.glob(".*.example"),
    *ROOT.glob(".streamlit/*.example"),
    *ROOT.glob("docs/**/*"),
]
COOKIE_KEY_IN_TEXT = re.compile(r'cookie_key\s*=\s*"([^"]*)"', re.IGNORECASE)


def test_every_cookie_key_in_the_example_files_is_refused():
    keys = {
        key
        for path in EXAMPLE_FILES
        if path.is_file()
        for key in COOKIE_KEY_IN_TEXT.findall(path.read_text(errors="replace"))
    }
    assert "replace-with-a-long-random-string" in keys  # .streamlit/secrets.toml.example
    assert {key: cookie_key_problem(key) for key in keys if cookie_key_problem(key) is None} == {}
