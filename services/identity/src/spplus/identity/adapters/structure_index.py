"""The structures referential held in memory for autocomplete search.

A search must answer within a few milliseconds while someone types, and the broad words people
type first ("caf", "accueil") match thousands of structures: counting and ranking them in SQL
costs tens of milliseconds whatever the index. The referential is small (tens of thousands of
short rows, a few MB) and changes rarely, so each process keeps it in memory:

- a sorted list of every folded word of the names, cities and postal codes, each with the set of
  structures having it: the structures whose words start with "caf" are the union of one slice
  of that list (found by bisection), and a search of several words intersects those sets;
- every structure's place in the display order (names starting with the first word first, then
  shorter names, then by name), so a page is a partial sort of integers.

The database stays the source of truth: ``referential_state.version`` is incremented in the
same transaction as every change of a structure or a network, and each search reads it (one row
by primary key) and rebuilds the index when it moved — so a change is visible to the next search
of every replica, never to a search of an older transaction.
"""
from __future__ import annotations

import bisect
import dataclasses
import gc
import heapq
import threading
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from .orm import networks, referential_state, structures

@dataclasses.dataclass(frozen=True, slots=True)
class IndexedStructure:
    code: str
    name: str
    network_code: str
    network_name: str
    parent_code: str | None
    postal_code: str | None
    city: str | None
    active: bool
    updated_at: object


def current_version(session: Session) -> int:
    return session.scalar(select(referential_state.c.version).where(referential_state.c.id == 1)) or 0


class StructureIndex:
    def __init__(self, version: int, rows: Iterable[tuple]):
        """``rows``: (code, name, network_code, network_name, parent_code, postal_code, city, active,
        updated_at, search_text) tuples, in any order."""
        self.version = version
        indexed = []
        for code, name, network_code, network_name, parent_code, postal_code, city, active, updated_at, text in rows:
            words = text.split()
            indexed.append((len(name), name, code, words, IndexedStructure(
                code, name, network_code, network_name, parent_code, postal_code, city, active, updated_at)))
        # Display order without the query: shorter names first, then by name and code.
        indexed.sort(key=lambda item: item[:3])
        self.entries = entries = [item[4] for item in indexed]
        postings: dict[str, set[int]] = {}
        first_words: dict[str, set[int]] = {}
        for position, item in enumerate(indexed):
            words = item[3]
            for word in words:
                postings.setdefault(word, set()).add(position)
            first_words.setdefault(words[0] if words else "", set()).add(position)
        self._words = sorted(postings)
        self._postings = [frozenset(postings[word]) for word in self._words]
        self._first_words = sorted(first_words)
        self._first_postings = [frozenset(first_words[word]) for word in self._first_words]
        self._active = frozenset(position for position, entry in enumerate(entries) if entry.active)
        self._all = frozenset(range(len(entries)))

    def _prefixed(self, prefix: str, first: bool = False) -> frozenset[int]:
        """Positions of the structures with a word (or, ``first``, a first word) starting with ``prefix``."""
        words, postings = (self._first_words, self._first_postings) if first else (self._words, self._postings)
        start = bisect.bisect_left(words, prefix)
        end = bisect.bisect_left(words, prefix[:-1] + chr(ord(prefix[-1]) + 1), start)
        if end - start == 1:
            return postings[start]
        return frozenset().union(*postings[start:end])

    def search(self, words: list[str], network: str | None, postal_code: str | None, include_retired: bool,
               page: int, per_page: int) -> tuple[list[IndexedStructure], int]:
        """Structures whose name, city or postal code has a word starting with each query word."""
        candidates = self._all if include_retired else self._active
        for prefix_set in sorted((self._prefixed(word) for word in words), key=len):
            candidates = candidates & prefix_set
            if not candidates:
                return [], 0
        if network or postal_code:
            entries = self.entries
            candidates = {position for position in candidates
                          if (not network or entries[position].network_code == network)
                          and (not postal_code or (entries[position].postal_code or "").startswith(postal_code))}
        total = len(candidates)
        if not total:
            return [], 0
        wanted = page * per_page
        if words:
            # Names whose first word starts with the first query word come first.
            leading = candidates & self._prefixed(words[0], first=True)
            ranked = _smallest(wanted, leading)
            if len(ranked) < wanted:
                ranked += _smallest(wanted - len(ranked), candidates - leading)
        else:
            ranked = _smallest(wanted, candidates)
        return [self.entries[position] for position in ranked[(page - 1) * per_page:]], total


def _smallest(count: int, positions) -> list[int]:
    if count <= 0:
        return []
    if count * 4 >= len(positions):
        return sorted(positions)[:count]
    return heapq.nsmallest(count, positions)


class IndexCache:
    """One process's index, rebuilt when the referential's version moved."""

    def __init__(self):
        self._index: StructureIndex | None = None
        self._lock = threading.Lock()

    def get(self, session: Session) -> StructureIndex:
        version = current_version(session)
        index = self._index
        if index is not None and index.version == version:
            return index
        with self._lock:
            index = self._index
            if index is not None and index.version == version:
                return index
            index = build(session, version)
            # A search whose transaction began before a change must not replace a newer index.
            if self._index is None or version >= self._index.version:
                self._index = index
        return index


def build(session: Session, version: int) -> StructureIndex:
    rows = session.execute(
        select(structures.c.code, structures.c.name, structures.c.network_code, networks.c.name,
               structures.c.parent_code, structures.c.postal_code, structures.c.city, structures.c.active,
               structures.c.updated_at, structures.c.search_text)
        .join(networks, networks.c.code == structures.c.network_code)).all()
    # Tens of thousands of small objects at once: the cyclic collector would walk them many times.
    gc.disable()
    try:
        return StructureIndex(version, rows)
    finally:
        gc.enable()
