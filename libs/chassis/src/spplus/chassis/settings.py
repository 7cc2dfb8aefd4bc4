"""Settings from prefixed environment variables, with defaults for the local run.

Service-specific variables carry the service prefix (``SUBMISSION_DATABASE_URL``);
platform-wide ones are shared (``AMQP_URL``, ``PUBLIC_BASE_URL``, ``SPPLUS_SECRET_KEY``).
"""
from __future__ import annotations

import dataclasses
import os
from pathlib import Path

from environs import Env

DEFAULT_AMQP_URL = "amqp://guest:guest@127.0.0.1:5672/%2F"


def var_dir() -> Path:
    """Folder for the local run's SQLite files, mails and keys."""
    path = Path(os.environ.get("SPPLUS_VAR_DIR", Path.cwd() / "var")).resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path


@dataclasses.dataclass(frozen=True)
class Settings:
    service: str
    database_url: str
    amqp_url: str
    exchange: str
    queue_prefix: str
    secret_key: str
    public_base_url: str
    log_level: str
    prefetch: int
    batch_window_ms: int
    retry_delays_ms: tuple[int, ...]
    delivery_limit: int
    relay_batch_size: int
    relay_poll_seconds: float
    heartbeat_seconds: int
    auth_jwks_url: str
    auth_public_key: str | None
    cookie_secure: bool
    demo: bool
    extra: dict = dataclasses.field(default_factory=dict)

    @property
    def queue(self) -> str:
        return f"{self.queue_prefix}{self.service}.events"

    @property
    def dead_letter_queue(self) -> str:
        return f"{self.queue}.dlq"

    def retry_queue(self, delay_ms: int) -> str:
        return f"{self.queue}.retry.{delay_ms}ms"


def load_settings(service: str, **extra_defaults) -> Settings:
    """Read the settings of ``service``; ``extra_defaults`` declares its own variables.

    ``load_settings("submission", IP_RETENTION_DAYS=365)`` reads
    ``SUBMISSION_IP_RETENTION_DAYS`` (typed like the default) into ``settings.extra``.
    """
    env = Env()
    prefix = service.upper() + "_"
    with env.prefixed(prefix):
        database_url = env.str("DATABASE_URL", f"sqlite:///{var_dir() / (service + '.db')}")
        extra = {key: _typed(env, key, default) for key, default in extra_defaults.items()}
        log_level = env.str("LOG_LEVEL", os.environ.get("SPPLUS_LOG_LEVEL", "INFO"))
    public_base_url = env.str("PUBLIC_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
    return Settings(
        service=service,
        database_url=database_url,
        amqp_url=env.str("AMQP_URL", DEFAULT_AMQP_URL),
        exchange=env.str("AMQP_EXCHANGE", "spplus.events"),
        queue_prefix=env.str("AMQP_QUEUE_PREFIX", ""),
        secret_key=env.str("SPPLUS_SECRET_KEY", "dev-only-secret-change-me"),
        public_base_url=public_base_url,
        log_level=log_level,
        prefetch=env.int("AMQP_PREFETCH", 50),
        batch_window_ms=env.int("AMQP_BATCH_WINDOW_MS", 10),
        retry_delays_ms=tuple(env.list("AMQP_RETRY_DELAYS_MS", [1000, 10000, 60000, 600000], subcast=int)),
        delivery_limit=env.int("AMQP_DELIVERY_LIMIT", 20),
        relay_batch_size=env.int("OUTBOX_BATCH_SIZE", 200),
        relay_poll_seconds=env.float("OUTBOX_POLL_SECONDS", 0.2),
        heartbeat_seconds=env.int("AMQP_HEARTBEAT_SECONDS", 15),
        auth_jwks_url=env.str("AUTH_JWKS_URL", "http://127.0.0.1:8001/api/v1/auth/jwks"),
        auth_public_key=env.str("AUTH_PUBLIC_KEY", None),
        cookie_secure=env.bool("COOKIE_SECURE", public_base_url.startswith("https://")),
        demo=env.bool("SPPLUS_DEMO", False),
        extra=extra,
    )


def _typed(env: Env, key: str, default):
    if isinstance(default, bool):
        return env.bool(key, default)
    if isinstance(default, int):
        return env.int(key, default)
    if isinstance(default, float):
        return env.float(key, default)
    return env.str(key, default)
