"""A search index of published experiences beside each API process (PostgreSQL deployments).

PostgreSQL stays the source of truth; the index only answers "which stories, in which order,
how many" for a search or a filtered list, and the page rows are then read from PostgreSQL by
id. A GIN index cannot do that within budget at a million stories: a common word matches a
third of them, and ordering those by date (or intersecting them with a network) means visiting
every matching row. An inverted index with column-stored sort keys (tantivy, Lucene's design in
Rust) answers the same question in a few milliseconds, with an exact count.

How it stays right:
- every change to what the index holds stamps the row with its transaction id (migration
  0002's trigger); the indexer reads, in one REPEATABLE READ snapshot, the rows whose change is
  visible now but was not in the snapshot it indexed last, applies them, commits the index, then
  records that snapshot (``state.json``). Whatever order transactions commit in, none is missed,
  and replaying a batch after a crash is harmless (each row replaces its document);
- a search first asks PostgreSQL, in the same round trip as the page rows, whether any row
  changed since the recorded snapshot; if so it is answered by PostgreSQL's own full text
  search instead (see adapters/search.py), so a story published a moment ago is found at once;
- one indexer per index folder (per host): every API process tries a file lock, the holder
  keeps the index, the others read it. The folder is named after the database's
  ``search_instance`` id, so an index built from another database is never read. It is a cache:
  deleting the folder rebuilds it (about 20 s per million stories).
"""
from __future__ import annotations

import datetime as dt
import fcntl
import json
import logging
import os
import re
import threading
import time
from pathlib import Path

import cachetools
import tantivy
from sqlalchemy import text

from spplus.chassis.contracts.common import FEELINGS

from ..domain.model import PUBLISHED
from ..domain.search import SearchCriteria

log = logging.getLogger(__name__)

ANALYZER = "fr_spplus"
# Raised whenever the schema or the analyzer changes: a new folder, built afresh.
INDEX_VERSION = 2
WRITER_HEAP_BYTES = 32_000_000
BATCH_ROWS = 5_000

# What the index needs of a row; structures are those of the row's current path.
_ROW_COLUMNS = """
    e.id, e.status, e.title, e.description, e.feeling, e.response_count, e.similar_count,
    CAST(extract(epoch FROM e.published_at) AS bigint) AS published_at,
    ARRAY(SELECT s.structure_code FROM experience_structures s WHERE s.experience_id = e.id) AS structures
"""
_ALL_PUBLISHED = text(f"SELECT {_ROW_COLUMNS} FROM experiences e WHERE e.status = '{PUBLISHED}'")
# Changed since the previous snapshot: visible now (the row version read here) but not then.
_CHANGED = text(f"""
    SELECT {_ROW_COLUMNS} FROM experiences e
    WHERE e.search_xid >= pg_snapshot_xmin(CAST(:previous AS pg_snapshot))
      AND NOT pg_visible_in_snapshot(e.search_xid, CAST(:previous AS pg_snapshot))
    UNION
    SELECT {_ROW_COLUMNS} FROM experiences e
    WHERE e.rank_xid >= pg_snapshot_xmin(CAST(:previous AS pg_snapshot))
      AND NOT pg_visible_in_snapshot(e.rank_xid, CAST(:previous AS pg_snapshot))
""")
_ORDER_FIELDS = {"recent": "published_at", "similar": "similar_count"}
# A word in the title weighs this much more than in the text (PostgreSQL: weights A and B).
TITLE_BOOST = 4.0
# Answers of the current index version kept per process for the searches asked again (as
# Lucene-based engines keep a query result cache): ordering and counting the matches of a
# common word among a million stories costs milliseconds, the same answer from memory
# microseconds. Each entry is a page of ids and a count; emptied when the index moves on.
RESULTS_CACHE_ENTRIES = 4096


def analyzer() -> tantivy.TextAnalyzer:
    """French words as PostgreSQL's configuration over ``spplus_unaccent`` sees them: lower
    case, accents folded first (a visitor types "prefecture" as often as "préfecture"), stop
    words out, Snowball stems."""
    return (tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
            .filter(tantivy.Filter.remove_long(40))
            .filter(tantivy.Filter.lowercase())
            .filter(tantivy.Filter.ascii_fold())
            .filter(tantivy.Filter.stopword("french"))
            .filter(tantivy.Filter.stemmer("french"))
            .build())


def schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("id", stored=True, tokenizer_name="raw", index_option="basic")
    # What a search matches: the title and the text, as one field (one list of documents per
    # word to walk, not two to merge: a common word among a million stories orders in 60 % of
    # the time). The title alone again, to rank a story whose title has the words first.
    builder.add_text_field("words", tokenizer_name=ANALYZER, index_option="position")
    builder.add_text_field("title", tokenizer_name=ANALYZER, index_option="position")
    builder.add_text_field("structure", tokenizer_name="raw", index_option="basic")
    builder.add_text_field("feeling", tokenizer_name="raw", index_option="basic")
    builder.add_integer_field("answered", indexed=True)
    builder.add_integer_field("published_at", indexed=True, fast=True)
    builder.add_integer_field("similar_count", fast=True)
    return builder.build()


SCHEMA = schema()


def instance_folder(root: Path, connection) -> Path | None:
    """``root/<search_instance id>``, or None when the database has no such id (SQLite, or
    migrations not applied)."""
    if connection.dialect.name != "postgresql":
        return None
    if connection.execute(text("SELECT to_regclass('search_instance')")).scalar() is None:
        return None
    instance = connection.execute(text("SELECT instance_id FROM search_instance LIMIT 1")).scalar()
    return root / f"{instance}-v{INDEX_VERSION}" if instance else None


def _open(folder: Path) -> tantivy.Index:
    folder.mkdir(parents=True, exist_ok=True)
    index = tantivy.Index(SCHEMA, path=str(folder), reuse=True)
    index.register_tokenizer(ANALYZER, analyzer())
    return index


def _state_path(folder: Path) -> Path:
    return folder / "state.json"


def _read_state(folder: Path) -> dict | None:
    try:
        return json.loads(_state_path(folder).read_text())
    except (FileNotFoundError, ValueError):
        return None


def _document(row) -> tantivy.Document:
    return tantivy.Document(
        id=row.id, words=[row.title or "", row.description or ""], title=row.title or "",
        structure=list(row.structures),
        feeling=row.feeling or "", answered=int(row.response_count > 0), published_at=int(row.published_at or 0),
        similar_count=int(row.similar_count))


class Indexer:
    """Keeps the index of one folder in step with the database. One per folder at a time."""

    def __init__(self, database, folder: Path):
        self.database, self.folder = database, folder
        self.index = _open(folder)
        self.writer = self.index.writer(WRITER_HEAP_BYTES, 1)

    def sync_once(self) -> int:
        """Apply what changed since the last recorded snapshot (everything the first time);
        returns the number of rows applied."""
        state = _read_state(self.folder)
        previous = state["snapshot"] if state else None
        applied = 0
        with self.database.engine.connect() as connection:
            connection = connection.execution_options(isolation_level="REPEATABLE READ", stream_results=True,
                                                      yield_per=BATCH_ROWS)
            with connection.begin():
                snapshot = connection.execute(text("SELECT CAST(pg_current_snapshot() AS text)")).scalar_one()
                if previous is None:
                    self.writer.delete_all_documents()
                    rows = connection.execute(_ALL_PUBLISHED)
                else:
                    rows = connection.execute(_CHANGED, {"previous": previous})
                for row in rows:
                    if previous is not None:
                        self.writer.delete_documents_by_term("id", row.id)
                    if row.status == PUBLISHED and row.title is not None:
                        self.writer.add_document(_document(row))
                    applied += 1
        counts = state.get("counts", {}) if state else {}
        # Numbers the index's contents: readers keep answers for as long as it stays the same.
        generation = state.get("generation", 0) if state else 0
        if applied or previous is None:
            self.writer.commit()
            self.index.reload()
            counts = facet_counts(self.index.searcher())
            generation += 1
        if applied or snapshot != previous:
            # After the commit: a crash in between replays the batch, which is harmless.
            temporary = _state_path(self.folder).with_suffix(".tmp")
            temporary.write_text(json.dumps({"snapshot": snapshot, "at": time.time(), "counts": counts,
                                             "generation": generation}))
            os.replace(temporary, _state_path(self.folder))
        return applied

    def close(self) -> None:
        self.writer.wait_merging_threads()


def facet_key(feeling: str | None, answered: bool | None) -> str:
    return f"{feeling or ''}|{'' if answered is None else int(answered)}"


def facet_counts(searcher: tantivy.Searcher) -> dict[str, int]:
    """How many stories for each feeling × answered choice (either may be left open): the
    totals of the lists filtered on those alone, which match too many stories to count at
    each request. Counted once per index commit."""
    counts = {}
    for feeling in (None, *FEELINGS):
        for answered in (None, True, False):
            query = SearchIndex.query(SearchCriteria(feeling=feeling, answered=answered), [])
            counts[facet_key(feeling, answered)] = searcher.search(query, 1, count=True).count
    return counts


class IndexerThread(threading.Thread):
    """Runs in every API process: the one holding the folder's lock keeps the index, the
    others wait for the lock (they take over if its holder stops)."""

    def __init__(self, database, root: Path, poll_seconds: float = 0.5):
        super().__init__(name="search-indexer", daemon=True)
        self.database, self.root, self.poll_seconds = database, root, poll_seconds
        self.stopping = threading.Event()

    def run(self) -> None:
        lock_file = None
        indexer = None
        while not self.stopping.is_set():
            try:
                if indexer is None:
                    with self.database.engine.connect() as connection:
                        folder = instance_folder(self.root, connection)
                    if folder is None:
                        self.stopping.wait(30)
                        continue
                    folder.mkdir(parents=True, exist_ok=True)
                    lock_file = open(folder / "indexer.lock", "w")  # noqa: SIM115 - held while indexing
                    try:
                        fcntl.flock(lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    except BlockingIOError:
                        lock_file.close()
                        self.stopping.wait(5)
                        continue
                    started = time.monotonic()
                    indexer = Indexer(self.database, folder)
                    applied = indexer.sync_once()
                    log.info("search index ready", extra={"rows": applied,
                                                          "seconds": round(time.monotonic() - started, 1)})
                else:
                    indexer.sync_once()
            except Exception:  # the database or the disk may come back: try again shortly
                log.exception("search index update failed")
            self.stopping.wait(self.poll_seconds)
        if indexer is not None:
            indexer.close()
        if lock_file is not None:
            lock_file.close()

    def stop(self) -> None:
        self.stopping.set()
        self.join(timeout=30)


class SearchIndex:
    """The reading side, shared by the threads of one process."""

    def __init__(self, root: Path):
        self.root = root
        self._lock = threading.Lock()
        self._folder: Path | None = None  # None: not resolved yet, or the database has no instance id
        self._folder_resolved = False
        self._index: tantivy.Index | None = None
        self._state_mtime = None
        self._state: dict | None = None
        self._results: cachetools.LRUCache = cachetools.LRUCache(RESULTS_CACHE_ENTRIES)
        self._results_lock = threading.Lock()

    def current(self, connection) -> tuple[tantivy.Searcher, dict] | None:
        """A searcher and the state it is up to date with (``snapshot``, facet ``counts``), or
        None while no index is ready."""
        if not self._folder_resolved:
            with self._lock:
                if not self._folder_resolved:
                    self._folder, self._folder_resolved = instance_folder(self.root, connection), True
        if self._folder is None:
            return None
        try:
            mtime = _state_path(self._folder).stat().st_mtime_ns
        except FileNotFoundError:
            return None
        if mtime != self._state_mtime:
            with self._lock:
                if mtime != self._state_mtime:
                    state = _read_state(self._folder)
                    if state is None:
                        return None
                    if self._index is None:
                        self._index = _open(self._folder)
                    self._index.reload()
                    if self._state is None or state.get("generation") != self._state.get("generation"):
                        with self._results_lock:
                            self._results.clear()
                    self._state, self._state_mtime = state, mtime
        return self._index.searcher(), self._state

    def find(self, searcher: tantivy.Searcher, state: dict, criteria: SearchCriteria,
             structure_sets: list[list[str]]) -> tuple[tuple[str, ...], int]:
        """Ids of the page in order, and the number of matches, from the index version that
        ``searcher`` and ``state`` (as ``current()`` gave them) belong to. ``structure_sets``: for
        each structure or network asked for, the codes of which a story must have at least one."""
        sort = criteria.effective_sort
        # The contents' generation, not the snapshot: the snapshot moves on with every transaction
        # of the cluster, the contents only when a story changed.
        key = (state.get("generation"), criteria.q, tuple(map(tuple, structure_sets)), criteria.feeling, criteria.answered,
               criteria.date_from, criteria.date_to, sort, criteria.offset, criteria.per_page)
        with self._results_lock:
            found = self._results.get(key)
        if found is not None:
            return found
        query = self.query(criteria, structure_sets)
        order_field = _ORDER_FIELDS.get(sort)  # none: by relevance
        options = {"order_by_field": order_field} if order_field else {}
        result = searcher.search(query, criteria.per_page, count=True, offset=criteria.offset, **options)
        found = tuple(searcher.doc(address)["id"][0] for _key, address in result.hits), result.count
        with self._results_lock:
            self._results[key] = found
        return found

    @staticmethod
    def query(criteria: SearchCriteria, structure_sets: list[list[str]]) -> tantivy.Query:
        must = []
        if criteria.q:
            must.append(text_query(criteria.q, ranked=criteria.effective_sort == "relevance"))
        for codes in structure_sets:
            must.append(tantivy.Query.term_set_query(SCHEMA, "structure", codes) if codes
                        else tantivy.Query.empty_query())
        if criteria.feeling:
            must.append(tantivy.Query.term_query(SCHEMA, "feeling", criteria.feeling))
        if criteria.answered is not None:
            must.append(tantivy.Query.term_query(SCHEMA, "answered", int(criteria.answered)))
        if criteria.date_from or criteria.date_to:
            lower = _epoch(criteria.date_from) if criteria.date_from else None
            upper = _epoch(criteria.date_to + dt.timedelta(days=1)) if criteria.date_to else None
            must.append(tantivy.Query.range_query(SCHEMA, "published_at", tantivy.FieldType.Integer, lower, upper,
                                                  include_upper=upper is None))
        if not must:
            return tantivy.Query.all_query()
        return tantivy.Query.boolean_query([(tantivy.Occur.Must, part) for part in must])


_ANALYZER = analyzer()
# Like PostgreSQL's websearch_to_tsquery: words must all appear, "a phrase" in that order,
# -word must not appear, "or" between two terms accepts either.
_QUERY_PARTS = re.compile(r'(-?)"([^"]*)"?|(-?)([^\s"]+)')


def text_query(q: str, ranked: bool = False) -> tantivy.Query:
    """The stories matching ``q``; ``ranked``: scored for relevance, a match in the title
    counting for more."""
    clauses: list[tuple[tantivy.Occur, tantivy.Query]] = []
    in_titles: list[tantivy.Query] = []
    pending_or = False
    for match in _QUERY_PARTS.finditer(q):
        negated = bool(match.group(1) or match.group(3))
        words = match.group(2) if match.group(2) is not None else match.group(4)
        if match.group(4) is not None and words.lower() == "or" and not negated:
            pending_or = bool(clauses)
            continue
        part = _words_query(words, "words")
        if part is None:
            continue
        if negated:
            clauses.append((tantivy.Occur.MustNot, part))
        else:
            if ranked:
                in_titles.append(_words_query(words, "title"))
            if pending_or and clauses[-1][0] == tantivy.Occur.Must:
                previous = clauses.pop()[1]
                part = tantivy.Query.boolean_query([(tantivy.Occur.Should, previous), (tantivy.Occur.Should, part)])
            clauses.append((tantivy.Occur.Must, part))
        pending_or = False
    if not any(occur == tantivy.Occur.Must for occur, _ in clauses):
        return tantivy.Query.empty_query()  # only stop words or only exclusions: like PostgreSQL, nothing
    if in_titles:
        # Optional: does not change what matches, only the order.
        clauses.append((tantivy.Occur.Should, tantivy.Query.boost_query(
            tantivy.Query.boolean_query([(tantivy.Occur.Should, title) for title in in_titles]), TITLE_BOOST)))
    return tantivy.Query.boolean_query(clauses)


def _words_query(words: str, field: str) -> tantivy.Query | None:
    """One word, or a phrase (a hyphenated or apostrophised word gives several terms, kept
    together as a phrase), in ``field``."""
    terms = _ANALYZER.analyze(words)
    if not terms:
        return None
    if len(terms) == 1:
        return tantivy.Query.term_query(SCHEMA, field, terms[0])
    # Stop words dropped from inside a phrase leave gaps: allow that many.
    slop = max(0, len(re.findall(r"\w+", words)) - len(terms))
    return tantivy.Query.phrase_query(SCHEMA, field, terms, slop)


def _epoch(day: dt.date) -> int:
    return int(dt.datetime.combine(day, dt.time.min, tzinfo=dt.timezone.utc).timestamp())
