"""Identity's own settings (``IDENTITY_*`` variables), read once per process."""
from __future__ import annotations

import dataclasses
import datetime as dt

from spplus.chassis.settings import Settings

from .adapters.keys import SigningKey, load_signing_key

DEFAULTS = {
    "JWT_PRIVATE_KEY": "",
    "TOKEN_TTL_SECONDS": 900,
    "SESSION_TTL_SECONDS": 12 * 3600,
    "RESET_TTL_SECONDS": 3600,
    "LOGIN_MAX_FAILURES_PER_ACCOUNT": 5,
    "LOGIN_MAX_FAILURES_PER_IP": 30,
    "LOGIN_WINDOW_SECONDS": 900,
}


@dataclasses.dataclass(frozen=True)
class IdentityConfig:
    settings: Settings
    key: SigningKey
    token_ttl: dt.timedelta
    session_ttl: dt.timedelta
    reset_ttl: dt.timedelta
    max_failures_per_account: int
    max_failures_per_ip: int
    login_window: dt.timedelta

    @property
    def secret(self) -> str:
        return self.settings.secret_key


def load_config(settings: Settings) -> IdentityConfig:
    extra = settings.extra
    return IdentityConfig(
        settings=settings,
        key=load_signing_key(extra.get("JWT_PRIVATE_KEY") or None),
        token_ttl=dt.timedelta(seconds=extra.get("TOKEN_TTL_SECONDS", 900)),
        session_ttl=dt.timedelta(seconds=extra.get("SESSION_TTL_SECONDS", 43200)),
        reset_ttl=dt.timedelta(seconds=extra.get("RESET_TTL_SECONDS", 3600)),
        max_failures_per_account=extra.get("LOGIN_MAX_FAILURES_PER_ACCOUNT", 5),
        max_failures_per_ip=extra.get("LOGIN_MAX_FAILURES_PER_IP", 30),
        login_window=dt.timedelta(seconds=extra.get("LOGIN_WINDOW_SECONDS", 900)),
    )
