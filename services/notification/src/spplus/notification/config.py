"""The notification settings (``NOTIFICATION_*`` variables) in one typed object."""
from __future__ import annotations

import dataclasses
from email.utils import parseaddr
from pathlib import Path

from spplus.chassis.settings import Settings, var_dir

DEFAULTS = {
    # smtp://host:port, smtps://host:port, smtp://user:password@host:587?starttls=1; empty: .eml files
    "SMTP_URL": "",
    "FROM": "Services Publics + <ne-pas-repondre@servicespublics.example>",
    "REPLY_TO": "Services Publics + <contact@servicespublics.example>",
    "SEND_EVERY_SECONDS": 1.0,
    "SEND_BATCH_SIZE": 20,
    # SMTP connections used side by side by one sender run (PostgreSQL; SQLite uses one).
    "SEND_CONNECTIONS": 4,
    # Transient failures: retried after base, 2×base, 4×base… up to max, with no end in time.
    "RETRY_BASE_SECONDS": 30.0,
    "RETRY_MAX_SECONDS": 3600.0,
    # A sender that dies holding mails gives them back after this long.
    "LEASE_SECONDS": 300.0,
    # Longest a sender job run goes on before giving the worker's other jobs their turn.
    "SEND_RUN_SECONDS": 10.0,
    # Sent, failed or cancelled mails keep their recipient and content this long, then lose them.
    "LOG_RETENTION_DAYS": 90,
}


@dataclasses.dataclass(frozen=True)
class NotificationConfig:
    service: str
    public_base_url: str
    smtp_url: str
    from_header: str
    reply_to: str
    send_every_seconds: float
    batch_size: int
    connections: int
    retry_base_seconds: float
    retry_max_seconds: float
    lease_seconds: float
    run_seconds: float
    log_retention_days: int

    @property
    def mail_dir(self) -> Path:
        return var_dir() / "mail"

    @property
    def message_id_domain(self) -> str:
        return parseaddr(self.from_header)[1].rpartition("@")[2] or "servicespublics.example"

    @classmethod
    def from_settings(cls, settings: Settings) -> NotificationConfig:
        extra = settings.extra
        return cls(
            service=settings.service,
            public_base_url=settings.public_base_url,
            smtp_url=extra["SMTP_URL"],
            from_header=extra["FROM"],
            reply_to=extra["REPLY_TO"],
            send_every_seconds=extra["SEND_EVERY_SECONDS"],
            batch_size=extra["SEND_BATCH_SIZE"],
            connections=extra["SEND_CONNECTIONS"],
            retry_base_seconds=extra["RETRY_BASE_SECONDS"],
            retry_max_seconds=extra["RETRY_MAX_SECONDS"],
            lease_seconds=extra["LEASE_SECONDS"],
            run_seconds=extra["SEND_RUN_SECONDS"],
            log_retention_days=extra["LOG_RETENTION_DAYS"],
        )
