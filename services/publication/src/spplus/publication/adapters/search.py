"""The experiences repository: one interface, full-text search implemented per dialect.

- PostgreSQL: a stored ``search_vector`` (French configuration over ``spplus_unaccent(...)``)
  with a GIN index, queried with ``websearch_to_tsquery`` (created by the migration);
- SQLite (local default): an FTS5 table whose document is lower-cased, unaccented and
  stemmed with the French Snowball stemmer in Python; the query goes through the same steps.
"""
from __future__ import annotations

import abc
import datetime as dt
import re
import unicodedata
from functools import lru_cache

import snowballstemmer
from sqlalchemy import and_, bindparam, exists, false, func, select, text
from sqlalchemy.orm import Session

from ..domain.model import PUBLISHED
from ..domain.search import COUNT_CAP, RELEVANCE_WINDOW, SearchCriteria, SearchPage
from .orm import experience_structures, experiences, structures
from .search_index import SearchIndex, facet_key
from .structure_directory import StructureDirectory

SUMMARY_COLUMNS = (experiences.c.id, experiences.c.title, experiences.c.description, experiences.c.feeling,
                   experiences.c.pseudonym, experiences.c.path, experiences.c.published_at,
                   experiences.c.similar_count, experiences.c.response_count, experiences.c.first_response_at)


class ExperienceRepository(abc.ABC):
    """Reads and full-text indexing of published experiences; full text is per dialect."""

    def __init__(self, session: Session):
        self.session = session

    # -- full text, per dialect -------------------------------------------------------------
    @abc.abstractmethod
    def index(self, experience_id: str, title: str, description: str) -> None:
        ...

    @abc.abstractmethod
    def unindex(self, experience_id: str) -> None:
        ...

    @abc.abstractmethod
    def text_match(self, q: str):
        """A WHERE clause keeping experiences that match the words of ``q``."""
        ...

    @abc.abstractmethod
    def text_rank(self, q: str):
        """An ORDER BY expression, best match first."""
        ...

    # -- shared -----------------------------------------------------------------------------
    def conditions(self, criteria: SearchCriteria) -> list:
        conditions = [experiences.c.status == PUBLISHED]
        if criteria.q:
            conditions.append(self.text_match(criteria.q))
        if criteria.feeling:
            conditions.append(experiences.c.feeling == criteria.feeling)
        if criteria.answered is True:
            conditions.append(experiences.c.response_count > 0)
        elif criteria.answered is False:
            conditions.append(experiences.c.response_count == 0)
        if criteria.date_from:
            conditions.append(experiences.c.published_at >= _start_of(criteria.date_from))
        if criteria.date_to:
            conditions.append(experiences.c.published_at < _start_of(criteria.date_to + dt.timedelta(days=1)))
        if criteria.structure:
            codes = self.structure_and_children(criteria.structure)
            conditions.append(exists().where(experience_structures.c.experience_id == experiences.c.id,
                                             experience_structures.c.structure_code.in_(codes)))
        if criteria.network:
            # Resolved first: a short literal list plans better than a sub-select on a large table.
            codes = self.network_structures(criteria.network)
            conditions.append(exists().where(experience_structures.c.experience_id == experiences.c.id,
                                             experience_structures.c.structure_code.in_(codes)))
        return conditions

    def network_structures(self, network: str) -> list[str]:
        return list(self.session.execute(select(structures.c.code).where(structures.c.network_code == network))
                    .scalars())

    def structure_and_children(self, code: str) -> list[str]:
        from spplus.chassis.referential import descendants

        return sorted(descendants(self.session, structures, {code}))

    def order_by(self, criteria: SearchCriteria) -> list:
        sort = criteria.effective_sort
        if sort == "similar":
            return [experiences.c.similar_count.desc(), experiences.c.published_at.desc(), experiences.c.id.desc()]
        if sort == "relevance":
            return [self.text_rank(criteria.q), experiences.c.published_at.desc(), experiences.c.id.desc()]
        return [experiences.c.published_at.desc(), experiences.c.id.desc()]

    def search(self, criteria: SearchCriteria) -> SearchPage:
        conditions = self.conditions(criteria)
        where = and_(*conditions)
        if criteria.effective_sort == "relevance":
            # Ranking every match of a common word among a million stories takes seconds: rank
            # the most recent matches only (bounded work, and recent stories matter most).
            window = (select(experiences.c.id).where(where)
                      .order_by(experiences.c.published_at.desc()).limit(RELEVANCE_WINDOW))
            where = experiences.c.id.in_(window.scalar_subquery())
        rows = self.session.execute(
            select(*SUMMARY_COLUMNS).where(where).order_by(*self.order_by(criteria))
            .limit(criteria.per_page).offset(criteria.offset)
        ).mappings().all()
        if rows and len(rows) < criteria.per_page or not rows and criteria.page == 1:
            total = criteria.offset + len(rows)  # the last page tells the total: no count query
        else:
            capped = select(experiences.c.id).where(and_(*conditions)).limit(COUNT_CAP + 1).subquery()
            total = self.session.execute(select(func.count()).select_from(capped)).scalar_one()
        return SearchPage(items=[dict(row) for row in rows], total=min(total, COUNT_CAP),
                          total_capped=total > COUNT_CAP, page=criteria.page, per_page=criteria.per_page)

    def get_published(self, experience_id: str) -> dict | None:
        row = self.session.execute(select(experiences).where(experiences.c.id == experience_id,
                                                             experiences.c.status == PUBLISHED)).mappings().first()
        return dict(row) if row else None

    def latest(self, limit: int = 20, structure_code: str | None = None) -> list[dict]:
        query = select(*SUMMARY_COLUMNS, experiences.c.submitted_at).where(experiences.c.status == PUBLISHED)
        if structure_code:
            codes = self.structure_and_children(structure_code)
            query = query.where(exists().where(experience_structures.c.experience_id == experiences.c.id,
                                               experience_structures.c.structure_code.in_(codes)))
        rows = self.session.execute(query.order_by(experiences.c.published_at.desc(), experiences.c.id.desc())
                                    .limit(limit)).mappings().all()
        return [dict(row) for row in rows]


class PostgresExperienceRepository(ExperienceRepository):
    # The generated column and its index keep themselves up to date.
    def index(self, experience_id, title, description):
        return None

    def search_indexed(self, index: SearchIndex, criteria: SearchCriteria,
                       directory: StructureDirectory) -> SearchPage | None:
        """The page from the search index, or None when there is none yet or it lags behind
        the database (the caller then searches the database itself)."""
        current = index.current(self.session.connection())
        if current is None:
            return None
        searcher, state = current
        snapshot = state["snapshot"]
        if not (criteria.q or criteria.structure or criteria.network or criteria.date_from or criteria.date_to):
            # Filtered on feeling or answers alone, a list matches a large share of the stories:
            # PostgreSQL walks its date (or votes) index to the page, the index gives the total.
            total = state.get("counts", {}).get(facet_key(criteria.feeling, criteria.answered))
            if total is not None:
                return self._page_counted_by_index(criteria, snapshot, total)
        structure_sets = []
        if criteria.structure:
            structure_sets.append(directory.structure_and_children(self.session, criteria.structure))
        if criteria.network:
            structure_sets.append(directory.network_structures(self.session, criteria.network))
        ids, total = index.find(searcher, state, criteria, structure_sets)
        rows = self.session.execute(_INDEXED_PAGE, {"snapshot": snapshot, "ids": list(ids)}).mappings().all()
        if rows[0]["stale"]:
            return None
        by_id = {row["id"]: row for row in rows if row["id"] is not None}
        return _exact_page(criteria, [by_id[id_] for id_ in ids if id_ in by_id], total)

    def _page_counted_by_index(self, criteria: SearchCriteria, snapshot: str, total: int) -> SearchPage | None:
        stale = select(func.spplus_search_stale(snapshot)).scalar_subquery().label("stale")
        rows = self.session.execute(
            select(stale, *SUMMARY_COLUMNS).where(and_(*self.conditions(criteria)))
            .order_by(*self.order_by(criteria)).limit(criteria.per_page).offset(criteria.offset)
        ).mappings().all()
        if rows[0]["stale"] if rows else self.session.execute(select(stale)).scalar_one():
            return None
        return _exact_page(criteria, rows, total)

    def unindex(self, experience_id):
        return None

    def text_match(self, q):
        return text("experiences.search_vector @@ websearch_to_tsquery('french'::regconfig, spplus_unaccent(:q))"
                    ).bindparams(bindparam("q", q))

    def text_rank(self, q):
        return text("ts_rank_cd(experiences.search_vector, "
                    "websearch_to_tsquery('french'::regconfig, spplus_unaccent(:q))) DESC"
                    ).bindparams(bindparam("q", q))


class SqliteExperienceRepository(ExperienceRepository):
    def index(self, experience_id, title, description):
        self.unindex(experience_id)
        self.session.execute(text("INSERT INTO experiences_fts (experience_id, document) VALUES (:id, :document)"),
                             {"id": experience_id, "document": " ".join(stems(f"{title} {description}"))})

    def unindex(self, experience_id):
        self.session.execute(text("DELETE FROM experiences_fts WHERE experience_id = :id"), {"id": experience_id})

    def text_match(self, q):
        if not stems(q):
            return false()
        return experiences.c.id.in_(
            text("SELECT experience_id FROM experiences_fts WHERE experiences_fts MATCH :fts")
            .bindparams(bindparam("fts", fts_query(q))).columns(experience_id=experiences.c.id.type))

    def text_rank(self, q):
        if not stems(q):
            return experiences.c.published_at.desc()
        # FTS5's rank is bm25: lower is better.
        return text("(SELECT rank FROM experiences_fts WHERE experiences_fts MATCH :fts "
                    "AND experiences_fts.experience_id = experiences.id) ASC").bindparams(bindparam("fts", fts_query(q)))


_SUMMARY_KEYS = [column.name for column in SUMMARY_COLUMNS]
# The page's rows and, in the same round trip, whether the index is still up to date.
_INDEXED_PAGE = text(f"""
    SELECT freshness.stale, {", ".join(f"e.{key}" for key in _SUMMARY_KEYS)}
    FROM (SELECT spplus_search_stale(:snapshot) AS stale) AS freshness
    LEFT JOIN experiences e ON e.id = ANY(:ids) AND e.status = '{PUBLISHED}'
""")


def _exact_page(criteria: SearchCriteria, rows, total: int) -> SearchPage:
    """A page whose total the index counted exactly."""
    return SearchPage(items=[{key: row[key] for key in _SUMMARY_KEYS} for row in rows], total=total,
                      total_capped=False, page=criteria.page, per_page=criteria.per_page)


def repository_for(session: Session) -> ExperienceRepository:
    if session.get_bind().dialect.name == "postgresql":
        return PostgresExperienceRepository(session)
    return SqliteExperienceRepository(session)


# -- French text for SQLite FTS5 ---------------------------------------------------------------
STOP_WORDS = frozenset(
    "a à au aux avec ce ces cet cette d dans de des du elle elles en est et il ils j je l la le les leur leurs "
    "lui m ma mais me mes mon n ne nous on ont ou par pas pour qu que qui s sa se ses son sont sur t ta te tes "
    "ton tu un une vos votre vous y été etre être avoir".split())
WORD = re.compile(r"\w+", re.UNICODE)


def unaccent(value: str) -> str:
    decomposed = unicodedata.normalize("NFKD", value)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


@lru_cache(maxsize=1)
def _stemmer():
    return snowballstemmer.stemmer("french")


def stems(value: str) -> list[str]:
    """Lower-case, accent-free French stems of the words of ``value``, stop words left out."""
    words = [word for word in WORD.findall(unaccent(value.lower())) if word not in STOP_WORDS]
    return [unaccent(stem) for stem in _stemmer().stemWords(words)]


def fts_query(q: str) -> str:
    """Every stem of the query must appear; each is quoted, so no FTS5 syntax gets through."""
    words = stems(q)
    if not words:
        return '""'
    return " ".join(f'"{word}"' for word in dict.fromkeys(words))


def _start_of(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=dt.timezone.utc)
