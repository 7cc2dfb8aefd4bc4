"""Structured JSON logs carrying the service name and the correlation id of the work in hand."""
from __future__ import annotations

import contextlib
import contextvars
import logging
import sys
import uuid

from pythonjsonlogger.json import JsonFormatter

_correlation_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("correlation_id", default=None)


def current_correlation_id() -> str:
    """The correlation id of the request or event being handled, or a new one."""
    return _correlation_id.get() or str(uuid.uuid4())


@contextlib.contextmanager
def correlation(correlation_id: str | None):
    token = _correlation_id.set(correlation_id or str(uuid.uuid4()))
    try:
        yield _correlation_id.get()
    finally:
        _correlation_id.reset(token)


def set_correlation_id(correlation_id: str) -> contextvars.Token:
    return _correlation_id.set(correlation_id)


def reset_correlation_id(token: contextvars.Token) -> None:
    _correlation_id.reset(token)


class _ContextFilter(logging.Filter):
    def __init__(self, service: str, role: str):
        super().__init__()
        self.service, self.role = service, role

    def filter(self, record: logging.LogRecord) -> bool:
        record.service = self.service
        record.role = self.role
        record.correlation_id = _correlation_id.get()
        return True


def configure_logging(service: str, role: str, level: str = "INFO") -> None:
    """One JSON object per line on stderr; idempotent."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        JsonFormatter(
            "{asctime}{levelname}{name}{message}{service}{role}{correlation_id}",
            style="{",
            rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
        )
    )
    handler.addFilter(_ContextFilter(service, role))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    logging.getLogger("pika").setLevel(logging.WARNING)
