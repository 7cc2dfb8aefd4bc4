"""The structures replica held in memory by each API process for a few seconds.

Lists and searches need it at every request (a network's structures, a structure's children,
names for the path of each story); the referential changes a few times a day. Re-read after
``ttl_seconds``, so a change reaches filters and names within that delay.
"""
from __future__ import annotations

import dataclasses
import threading
import time

from sqlalchemy import select
from sqlalchemy.orm import Session

from spplus.chassis.referential import expand_down

from .orm import structures


@dataclasses.dataclass(frozen=True)
class _Snapshot:
    by_code: dict[str, dict]
    children: dict[str, list[str]]
    by_network: dict[str, list[str]]
    loaded_at: float


class StructureDirectory:
    def __init__(self, ttl_seconds: float = 10.0):
        self.ttl_seconds = ttl_seconds
        self._snapshot: _Snapshot | None = None
        self._lock = threading.Lock()

    def _current(self, session: Session) -> _Snapshot:
        snapshot = self._snapshot
        if snapshot is None or time.monotonic() - snapshot.loaded_at > self.ttl_seconds:
            with self._lock:
                snapshot = self._snapshot
                if snapshot is None or time.monotonic() - snapshot.loaded_at > self.ttl_seconds:
                    snapshot = self._snapshot = self._load(session)
        return snapshot

    @staticmethod
    def _load(session: Session) -> _Snapshot:
        by_code, children, by_network = {}, {}, {}
        rows = session.execute(select(structures.c.code, structures.c.name, structures.c.network_code,
                                      structures.c.network_name, structures.c.parent_code))
        for row in rows:
            by_code[row.code] = {"code": row.code, "name": row.name, "network_code": row.network_code,
                                 "network_name": row.network_name}
            by_network.setdefault(row.network_code, []).append(row.code)
            if row.parent_code:
                children.setdefault(row.parent_code, []).append(row.code)
        return _Snapshot(by_code, children, by_network, time.monotonic())

    def names(self, session: Session, codes: set[str]) -> dict[str, dict]:
        by_code = self._current(session).by_code
        return {code: by_code[code] for code in codes if code in by_code}

    def network_structures(self, session: Session, network: str) -> list[str]:
        return sorted(self._current(session).by_network.get(network, []))

    def structure_and_children(self, session: Session, code: str) -> list[str]:
        """``code`` and every structure below it (as ``referential.descendants``)."""
        children = self._current(session).children
        return sorted(expand_down({code}, lambda parents: {child for parent in parents
                                                            for child in children.get(parent, [])}))
