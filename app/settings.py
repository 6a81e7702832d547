"""Chalk's one typed settings object.

Values come from (lowest to highest): defaults here, `.streamlit/secrets.toml` (its root
`CHALK_*` keys and the `[auth]` table), a `.env` file, `CHALK_*` environment variables.
Nested values (quality presets) are set with JSON, e.g.
`CHALK_QUALITY_PRESETS='{"preview": {"width": 640, "height": 360, "fps": 15}}'`.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import AliasChoices, BaseModel, Field, SecretStr, field_validator, model_validator
from pydantic_settings import (
    BaseSettings,
    InitSettingsSource,
    NoDecode,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

Quality = Literal["preview", "standard", "high"]
Aspect = Literal["16:9", "9:16", "1:1"]
SandboxMode = Literal["auto", "bwrap", "process"]

QUALITIES: tuple[str, ...] = ("preview", "standard", "high")
ASPECTS: tuple[str, ...] = ("16:9", "9:16", "1:1")


class QualityPreset(BaseModel):
    """Frame size for 16:9 and frame rate; other aspects are derived from it."""

    width: int = Field(gt=0, le=3840)
    height: int = Field(gt=0, le=2160)
    fps: int = Field(gt=0, le=60)
    timeout_s: float = Field(gt=0, description="Wall-clock limit for one render.")
    # x264's speed preset: a preview is a first look, so it trades file size for encoder CPU.
    encoder_preset: Literal["ultrafast", "superfast", "veryfast", "faster", "fast", "medium"] = (
        "medium"
    )


DEFAULT_PRESETS: dict[str, QualityPreset] = {
    "preview": QualityPreset(
        width=854, height=480, fps=15, timeout_s=90, encoder_preset="veryfast"
    ),
    "standard": QualityPreset(width=1280, height=720, fps=30, timeout_s=240),
    "high": QualityPreset(width=1920, height=1080, fps=60, timeout_s=600),
}


class RoleQuota(BaseModel):
    """What one role may use; None means no limit. Users can have their own overrides."""

    videos_per_day: int | None = Field(default=None, ge=0)
    render_minutes_per_month: int | None = Field(default=None, ge=0)
    # Jobs rendering (or on the queue to render) at once; more wait for a free slot.
    concurrent_jobs: int | None = Field(default=None, ge=1)
    # Jobs accepted and not finished (waiting, queued or running); more are refused.
    queued_jobs: int | None = Field(default=None, ge=1)
    llm_tokens_per_month: int | None = Field(default=None, ge=0)
    submits_per_minute: int | None = Field(default=None, ge=1)


DEFAULT_QUOTAS: dict[str, RoleQuota] = {
    "teacher": RoleQuota(
        videos_per_day=40,
        render_minutes_per_month=300,
        concurrent_jobs=3,
        queued_jobs=50,
        llm_tokens_per_month=1_000_000,
        submits_per_minute=6,
    ),
    "admin": RoleQuota(concurrent_jobs=6, queued_jobs=100, submits_per_minute=20),
}

DEFAULT_SECURITY_HEADERS: dict[str, str] = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Resource-Policy": "same-site",
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
    "Strict-Transport-Security": "max-age=31536000",
}
"""Headers on every API response (the docs page gets a CSP that lets its own scripts run)."""

# Values that ship in examples and docs (Chalk's and streamlit-authenticator's): never used
# as secrets. tests/test_settings.py checks that every cookie key in the examples is here.
PLACEHOLDER_SECRETS = frozenset(
    {
        "",
        "...",
        "change-me",
        "changeme",
        "replace-with-a-long-random-string",
        "secret",
        "some_key",
        "some_signature_key",
    }
)
COOKIE_KEY_MIN_CHARS = 32
"""The shortest key that may sign the sign-in cookie, in any environment."""
COOKIE_KEY_ENV = "CHALK_AUTH_COOKIE_KEY"


class ProductionSettingError(RuntimeError):
    """Production settings Chalk must not run with; the message says what to set.

    Not a ValueError, so pydantic lets it through as it is (a sentence, not a
    ValidationError listing the inputs) and the app and the CLI can show it.
    """


class CookieKeyError(ProductionSettingError):
    """No usable cookie key in production."""


class AppUrlError(ProductionSettingError):
    """No CHALK_APP_URL in production (links in mails would have no trustworthy address)."""


def cookie_key_problem(key: str | None) -> str | None:
    """Why `key` cannot sign cookies (a sentence), or None when it can.

    Production refuses to start with such a key; development uses a random one instead
    (app/accounts/cookie.py).
    """
    if not key:
        return "no cookie key is set"
    if key.strip().lower() in PLACEHOLDER_SECRETS:
        return "the cookie key is a placeholder from the examples"
    if len(key) < COOKIE_KEY_MIN_CHARS:
        return f"the cookie key is shorter than {COOKIE_KEY_MIN_CHARS} characters"
    return None


SECRETS_FILES = (Path("~/.streamlit/secrets.toml"), Path(".streamlit/secrets.toml"))
"""Where Streamlit looks for secrets (the project's file wins); Chalk reads the same files."""
AUTH_TABLE_FIELDS = {
    "cookie_name": "auth_cookie_name",
    "cookie_key": "auth_cookie_key",
    "cookie_expiry_days": "auth_cookie_expiry_days",
}
"""Keys of secrets.toml's [auth] table and the settings they set."""


def secrets_toml_values(table: dict[str, Any]) -> dict[str, Any]:
    """Settings from secrets.toml's contents: the [auth] table, then root CHALK_* keys.

    A root `CHALK_AUTH_COOKIE_KEY` wins over `[auth] cookie_key`, as it does on Streamlit
    Community Cloud, where root keys become environment variables. Other keys are Streamlit's.
    """
    auth = table.get("auth")
    values = {
        field: auth[key]
        for key, field in AUTH_TABLE_FIELDS.items()
        if isinstance(auth, dict) and key in auth
    }
    prefix = "CHALK_"
    for key, value in table.items():
        if key.upper().startswith(prefix):
            values[key[len(prefix) :].lower()] = value
    return values


class StreamlitSecretsSource(InitSettingsSource):
    """`.streamlit/secrets.toml`, read by pydantic-settings' TOML source, as settings."""

    def __init__(self, settings_cls: type[BaseSettings]) -> None:
        table = TomlConfigSettingsSource(settings_cls, toml_file=list(SECRETS_FILES)).toml_data
        super().__init__(settings_cls, secrets_toml_values(table))


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="CHALK_",
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        # Fields with an env alias (the LLM ones) can still be set by name in code and tests.
        populate_by_name=True,
    )

    data_dir: Path = Path("./data")
    log_level: str = "INFO"

    quality_presets: dict[str, QualityPreset] = Field(default_factory=lambda: dict(DEFAULT_PRESETS))

    # Static policy
    max_code_bytes: int = Field(default=64_000, gt=0)

    # Sandbox: "auto" uses bubblewrap when it works here and falls back to the strongest
    # layers that do; "bwrap" refuses to render without it; "process" never uses it.
    sandbox_mode: SandboxMode = "auto"
    sandbox_memory_mb: int = Field(default=4096, ge=256)
    sandbox_max_processes: int = Field(default=64, ge=8)
    sandbox_max_file_mb: int = Field(default=512, ge=1)
    sandbox_max_open_files: int = Field(default=512, ge=64)
    sandbox_max_workdir_mb: int = Field(default=1024, ge=16)
    sandbox_max_log_kb: int = Field(default=256, ge=16)
    # Renders run at this niceness (0-19): they use every core they get, and the pages and the
    # API, which wait for a person, go first when both want the CPU.
    sandbox_nice: int = Field(default=10, ge=0, le=19)
    # Longest animation a job may produce, in seconds of video.
    max_video_seconds: float = Field(default=180, gt=0)
    max_video_mb: int = Field(default=300, ge=1)

    # LLM generator: any OpenAI-compatible endpoint. It is used (by `--generator auto`) when a
    # model and a key or base URL are set; the standard OPENAI_* variables are the fallback.
    llm_base_url: str | None = Field(
        default=None, validation_alias=AliasChoices("CHALK_LLM_BASE_URL", "OPENAI_BASE_URL")
    )
    llm_api_key: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("CHALK_LLM_API_KEY", "OPENAI_API_KEY")
    )
    llm_model: str | None = None
    llm_timeout_s: float = Field(default=120, gt=0)
    # Retries of one request on 429, 5xx and connection errors, with exponential backoff.
    llm_max_retries: int = Field(default=3, ge=0, le=10)
    llm_temperature: float = Field(default=0.2, ge=0, le=2)
    llm_max_tokens: int = Field(default=4096, ge=256)
    llm_stream: bool = False
    # Generate → fix → validate → render attempts per job, repairs included.
    max_attempts: int = Field(default=4, ge=1, le=10)
    # Whether layout warnings (objects off-frame, overlapping text) trigger a repair attempt.
    repair_layout: bool = True

    # Database: SQLite under the data dir unless a URL is set (e.g. postgresql+psycopg://...).
    database_url: str | None = None
    database_pool_size: int = Field(default=5, ge=1)
    database_max_overflow: int = Field(default=10, ge=0)

    # Queue: RQ on Redis when a URL is set, otherwise an inline pool of threads in-process.
    redis_url: str | None = None
    queue_name: str = "chalk"
    inline_workers: int = Field(default=2, ge=1, le=32)
    # A running job writes a heartbeat this often; one silent for `stale_after_s` is lost and
    # the reconciler (every `reconcile_every_s`) re-queues it `max_requeues` times, then fails it.
    heartbeat_s: float = Field(default=2.0, gt=0)
    stale_after_s: float = Field(default=20.0, gt=0)
    reconcile_every_s: float = Field(default=10.0, gt=0)
    max_requeues: int = Field(default=1, ge=0, le=5)
    # Quotas per role (JSON, merged into the defaults field by field), e.g.
    # CHALK_QUOTAS='{"teacher": {"videos_per_day": 20}}'; admins set per-user overrides.
    quotas: dict[str, RoleQuota] = Field(default_factory=lambda: dict(DEFAULT_QUOTAS))

    # Accounts. In "production" the cookie key must be a real secret (the settings refuse to
    # load otherwise); in "development" a missing, placeholder or short key is replaced by a
    # random one kept in the data dir (app/accounts/cookie.py). It can also be
    # `[auth] cookie_key` in secrets.toml.
    environment: Literal["development", "production"] = "development"
    auth_cookie_name: str = "chalk_auth"
    auth_cookie_key: SecretStr | None = None
    auth_cookie_expiry_days: float = Field(default=14, gt=0)
    # Who may create an account: anyone, holders of an invite code, or nobody (operators add
    # users with `chalk users add`). The first account on a new install is always an admin.
    registration: Literal["open", "invite", "closed"] = "open"
    invite_ttl_days: int = Field(default=14, ge=1)
    # Sign-in throttling: after `login_max_failures` failures (per client and account, or
    # per browser session) sign-in locks for `login_lockout_s`, doubling with each further
    # failure, up to an hour.
    login_max_failures: int = Field(default=5, ge=1)
    login_lockout_s: float = Field(default=30, gt=0)
    # Sign-up limits: at most this many new accounts per client, and overall, per window.
    signups_per_client: int = Field(default=5, ge=1)
    signups_total: int = Field(default=100, ge=1)
    signup_window_s: float = Field(default=3600, gt=0)
    # Reverse proxies in front of the app (Caddy, nginx, a load balancer): with N of them the
    # client is the N-th address from the right of X-Forwarded-For (the one the outermost
    # trusted proxy saw). 0 trusts no header: a client can write X-Forwarded-For itself.
    trusted_proxy_hops: int = Field(default=0, ge=0, le=10)
    # Forgot-password links: valid this long; sent by SMTP when a host is set, otherwise
    # written to the log (the console mailer).
    password_reset_ttl_min: int = Field(default=60, ge=5)
    # School sign-in (OpenID Connect, configured in secrets.toml's [auth] table): the email
    # domains whose school accounts may sign in, a Chalk account made at the first one.
    # Comma-separated, e.g. "school.org,students.school.org"; empty turns school sign-in off.
    sso_allowed_domains: Annotated[tuple[str, ...], NoDecode] = ()
    # The address teachers open (links in mails use only it). Production requires it;
    # development falls back to the address Streamlit serves on (app/links.py).
    app_url: str | None = None
    smtp_host: str | None = None
    smtp_port: int = 587
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_from: str = "Chalk <chalk@localhost>"
    smtp_starttls: bool = True

    # Media: a local folder unless an S3-compatible bucket is set (AWS S3, Cloudflare R2, MinIO).
    s3_bucket: str | None = None
    s3_endpoint_url: str | None = None
    s3_region: str | None = None
    s3_access_key_id: str | None = None
    s3_secret_access_key: SecretStr | None = None
    s3_prefix: str = ""
    s3_multipart_threshold_mb: int = Field(default=8, ge=5)
    presign_expiry_s: int = Field(default=3600, ge=60, le=7 * 24 * 3600)
    # Tries of one S3 request on connection errors, throttling and 5xx, with botocore's
    # exponential backoff (jittered, at most 20 s apart) between them.
    s3_max_attempts: int = Field(default=5, ge=1, le=20)

    # Speed: worker-side processes that import Manim once and fork a sandboxed child per job,
    # and the content-addressed render cache.
    warm_pool: bool = True
    # `chalk worker` runs the sandbox canaries (`chalk selftest`, ~5 s) before it takes a job
    # and refuses to start if one fails. Turn off only where this very sandbox was just proven,
    # as the test suite does for workers whose subject is the queue, not the sandbox.
    worker_selftest: bool = True
    render_cache: bool = True
    # Threads of the video encoder (x264) in one render; 0 sizes them automatically: the CPUs
    # shared among the renders that run at once (`chalk worker -n N` runs N), at least one.
    encoder_threads: int = Field(default=0, ge=0, le=64)
    # Narration (app/speech): the engine narrated videos use when a job names none (piper:
    # offline neural voice; espeak: many languages; openai: an OpenAI-compatible
    # /v1/audio/speech endpoint at speech_base_url, with speech_model and speech_api_key).
    speech_engine: Literal["piper", "espeak", "openai"] = "piper"
    speech_base_url: str | None = None
    speech_api_key: SecretStr | None = None
    speech_model: str = "tts-1"
    speech_timeout_s: float = Field(default=30.0, gt=0, le=300)
    # Load speech_engine when a worker (or the app's inline pool) starts, once per process,
    # instead of on its first narrated job (piper's model takes about 2 s to load).
    speech_preload: bool = True

    # Operations: log format (plain text for a terminal; one JSON object per line in the
    # Docker image and compose, where logs are collected), error
    # reports to Sentry when a DSN is set, the disk space `chalk health` wants free, and the
    # LLM price the admin page multiplies token counts by.
    log_format: Literal["json", "text"] = "text"
    sentry_dsn: SecretStr | None = None
    sentry_environment: str = "production"
    health_min_free_disk_mb: int = Field(default=1024, ge=0)
    # Below this much free space in the data dir, new jobs and renders are refused (before
    # the disk fills, so running jobs and finished videos keep their room).
    min_free_disk_mb: int = Field(default=256, ge=0)
    # Where `chalk worker --metrics-port` listens: loopback unless an operator opens it
    # (the metrics name queues and failure rates, which strangers need not see).
    metrics_addr: str = "127.0.0.1"
    llm_price_per_1k_tokens: float = Field(default=0.0, ge=0)
    # `chalk backup --schedule`: a verified backup every `backup_interval_h` hours into
    # `backup_dir` (the data dir's backups/ by default), copied to the S3 bucket when media is
    # there; the newest archive of each of the last `backup_keep_daily` days and of each of the
    # last `backup_keep_weekly` ISO weeks are kept, older ones deleted.
    backup_dir: Path | None = None
    backup_interval_h: float = Field(default=24.0, gt=0, le=24 * 7)
    backup_keep_daily: int = Field(default=7, ge=1)
    backup_keep_weekly: int = Field(default=4, ge=0)

    # The HTTP API (`chalk api`, app/api): the browser origins allowed to call it (CORS;
    # comma-separated, empty: none), headers on every response, and the largest request body.
    api_cors_origins: Annotated[tuple[str, ...], NoDecode] = ()
    api_security_headers: dict[str, str] = Field(
        default_factory=lambda: dict(DEFAULT_SECURITY_HEADERS)
    )
    api_max_body_kb: int = Field(default=4096, ge=64)
    # Webhooks (app/webhooks.py): addresses that resolve to loopback, private or link-local
    # networks are refused unless this is true (a test receiver, an intranet LMS); each POST
    # waits this long; failed deliveries are retried with exponential backoff from the first
    # delay for this many hours.
    webhook_allow_private: bool = False
    webhook_timeout_s: float = Field(default=10, gt=0, le=60)
    webhook_retry_base_s: float = Field(default=30, gt=0)
    webhook_retry_hours: float = Field(default=24, gt=0, le=72)
    webhook_poll_s: float = Field(default=2, gt=0)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """pydantic-settings' own order, with secrets.toml below everything else."""
        return (
            init_settings,
            env_settings,
            dotenv_settings,
            file_secret_settings,
            StreamlitSecretsSource(settings_cls),
        )

    @model_validator(mode="after")
    def _production_needs_a_real_cookie_key_and_address(self) -> Settings:
        """Production refuses a missing, placeholder or short cookie key (CookieKeyError)
        and a missing app URL (AppUrlError)."""
        if self.environment != "production":
            return self
        key = self.auth_cookie_key.get_secret_value() if self.auth_cookie_key else None
        problem = cookie_key_problem(key)
        if problem:
            raise CookieKeyError(
                f"Chalk cannot start in production because {problem}; set {COOKIE_KEY_ENV} "
                "(or cookie_key in the [auth] table of .streamlit/secrets.toml) to a random "
                f"string of at least {COOKIE_KEY_MIN_CHARS} characters."
            )
        if not self.app_url:
            raise AppUrlError(
                "Chalk cannot start in production without its public address; set "
                "CHALK_APP_URL (or CHALK_APP_URL in .streamlit/secrets.toml) to the address "
                "teachers open, such as https://chalk.school.org."
            )
        return self

    @field_validator("app_url")
    @classmethod
    def _app_url_is_an_address(cls, value: str | None) -> str | None:
        """An http(s) address with a host, kept without a trailing slash; blank is unset."""
        if value is None or not value.strip():
            return None
        url = value.strip().rstrip("/")
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(
                "CHALK_APP_URL must be the address teachers open, such as https://chalk.school.org"
            )
        return url

    @field_validator("api_cors_origins", mode="before")
    @classmethod
    def _origin_list(cls, value: object) -> object:
        """Comma- or space-separated origins, without a trailing slash."""
        if isinstance(value, str):
            value = value.replace(",", " ").split()
        if isinstance(value, list | tuple):
            return tuple(str(origin).strip().rstrip("/") for origin in value if origin)
        return value

    @field_validator("sso_allowed_domains", mode="before")
    @classmethod
    def _domain_list(cls, value: object) -> object:
        """Comma- or space-separated domains, lowercase, without a leading '@'."""
        if isinstance(value, str):
            value = value.replace(",", " ").split()
        if isinstance(value, list | tuple):
            return tuple(str(domain).strip().lstrip("@").lower() for domain in value if domain)
        return value

    @field_validator("quality_presets")
    @classmethod
    def _all_qualities_present(cls, presets: dict[str, QualityPreset]) -> dict[str, QualityPreset]:
        merged = dict(DEFAULT_PRESETS)
        merged.update(presets)
        unknown = set(merged) - set(QUALITIES)
        if unknown:
            raise ValueError(f"unknown quality presets: {sorted(unknown)}")
        return merged

    @field_validator("quotas", mode="before")
    @classmethod
    def _merge_quotas(cls, value: object) -> object:
        """A role's quota from the environment overrides only the fields it names."""
        if not isinstance(value, dict):
            return value
        merged: dict[str, object] = {
            role: quota.model_dump() for role, quota in DEFAULT_QUOTAS.items()
        }
        for role, quota in value.items():
            if role not in merged:
                raise ValueError(f"unknown role {role!r} in quotas; use {', '.join(merged)}")
            fields = (
                quota.model_dump(exclude_unset=True)
                if isinstance(quota, RoleQuota)
                else dict(quota)
            )
            merged[role] = {**merged[role], **fields}  # type: ignore[dict-item]
        return merged

    @field_validator("data_dir")
    @classmethod
    def _absolute_data_dir(cls, value: Path) -> Path:
        return value.expanduser().resolve()

    @property
    def work_root(self) -> Path:
        """Where per-render work directories live (deleted after each render)."""
        return self.data_dir / "work"

    @property
    def backup_root(self) -> Path:
        """Where `chalk backup --schedule` keeps its archives."""
        return self.backup_dir or self.data_dir / "backups"

    @property
    def media_root(self) -> Path:
        """Where the local media store keeps videos and thumbnails."""
        return self.data_dir / "media"

    @property
    def database(self) -> str:
        """The SQLAlchemy URL in use: `database_url`, or SQLite in the data dir."""
        return self.database_url or f"sqlite:///{self.data_dir / 'chalk.db'}"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once."""
    return Settings()
