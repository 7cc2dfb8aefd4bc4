"""A circuit breaker per service that never makes one request wait for another.

``pybreaker``, used before, holds its lock for the whole guarded call (documented upstream,
danielfm/pybreaker#3; the pull requests that lifted it, #40, #41, #57 and #77, were closed), so
a gateway process sent one request at a time to each service: every other thread queued behind
the one in flight, and one slow answer held back every page of that service. Here the lock
guards the counts and the state only.

closed ── ``fail_max`` failures in a row ──▶ open ── ``reset_seconds`` later ──▶ half-open
half-open: one trial request at a time (the others are refused as while open); its success
closes the circuit, its failure opens it again for ``reset_seconds``.
"""
from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")

CLOSED, OPEN, HALF_OPEN = "closed", "open", "half-open"


class CircuitOpen(Exception):
    """Refused without calling the service: its circuit is open (or its trial is under way)."""


class Breaker:
    def __init__(self, name: str, fail_max: int, reset_seconds: float, failures: tuple[type[BaseException], ...],
                 on_change: Callable[[str, str], None] | None = None, clock: Callable[[], float] = time.monotonic):
        """``failures``: the exceptions that count against the service; any other exception
        passes through without changing the circuit (a client that left, say)."""
        self.name, self.fail_max, self.reset_seconds = name, fail_max, reset_seconds
        self.failures, self.on_change, self.clock = failures, on_change, clock
        self._lock = threading.Lock()
        self._state, self._failed, self._opened_at, self._trial = CLOSED, 0, 0.0, False

    @property
    def current_state(self) -> str:
        return self._state

    def call(self, func: Callable[[], T]) -> T:
        trial = self._admit()
        try:
            result = func()
        except self.failures:
            self._record(trial, succeeded=False)
            raise
        except BaseException:
            self._record(trial, succeeded=None)
            raise
        self._record(trial, succeeded=True)
        return result

    def _admit(self) -> bool:
        """True for the half-open trial; raises ``CircuitOpen`` when the call may not go."""
        with self._lock:
            if self._state == OPEN:
                if self.clock() - self._opened_at < self.reset_seconds:
                    raise CircuitOpen(self.name)
                self._set(HALF_OPEN)
            if self._state == HALF_OPEN:
                if self._trial:
                    raise CircuitOpen(self.name)
                self._trial = True
                return True
            return False

    def _record(self, trial: bool, succeeded: bool | None) -> None:
        with self._lock:
            if trial:
                self._trial = False
                if succeeded:
                    self._failed = 0
                    self._set(CLOSED)
                elif succeeded is False:
                    self._open()
            elif self._state == CLOSED:   # answers of calls let in before the circuit opened are ignored
                if succeeded:
                    self._failed = 0
                elif succeeded is False:
                    self._failed += 1
                    if self._failed >= self.fail_max:
                        self._open()

    def _open(self) -> None:
        self._opened_at = self.clock()
        self._failed = 0
        self._set(OPEN)

    def _set(self, state: str) -> None:
        if state != self._state:
            self._state = state
            if self.on_change is not None:
                self.on_change(self.name, state)
