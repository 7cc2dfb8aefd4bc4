"""CSV import of structures: idempotent upserts, a per-row report, progress saved as it goes.

Columns (header required, comma or semicolon separated, UTF-8 or Windows-1252):
``code, network, name, parent_code, postal_code, city`` (French headers also accepted:
``réseau, nom, code_parent, code_postal, commune``). Bad rows are reported; good rows go in.
"""
from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import json
import uuid
from typing import Callable

from sqlalchemy import and_, insert, or_, select, update
from sqlalchemy.orm import Session

from ..adapters import structures_repository as repo
from ..adapters.orm import structure_imports, utcnow
from spplus.chassis.db import Database
from ..domain.structures import InvalidStructure, clean, creates_cycle, fold
from .structures import UpsertCounts, upsert_many

CHUNK = 1000
# How long a worker may go without saving progress before its import is taken up by another.
LEASE = dt.timedelta(minutes=5)
HEADER_ALIASES = {
    "code": "code", "network": "network", "reseau": "network", "network code": "network",
    "name": "name", "nom": "name", "parent code": "parent_code", "parent": "parent_code",
    "code parent": "parent_code", "postal code": "postal_code", "code postal": "postal_code",
    "city": "city", "commune": "city", "ville": "city",
}
REQUIRED = ("code", "network", "name")


class ImportFileError(ValueError):
    """The file as a whole cannot be read (French message)."""


@dataclasses.dataclass
class Rejected:
    line: int
    code: str
    errors: dict[str, list[str]]


def decode(content: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFileError("Le fichier n'est pas un texte lisible (UTF-8 attendu).")


def parse(text: str) -> list[tuple[int, dict]]:
    """(line number, row) for each data row; raises ImportFileError for an unusable header."""
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        raise ImportFileError("Le fichier est vide : la première ligne doit donner les noms des colonnes.")
    delimiter = ";" if lines[0].count(";") > lines[0].count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = [HEADER_ALIASES.get(fold(name).replace("_", " "), "") for name in next(reader)]
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        raise ImportFileError("Colonnes manquantes dans l'en-tête : " + ", ".join(missing)
                              + ". Colonnes attendues : code, network, name, parent_code, postal_code, city.")
    rows = []
    for values in reader:
        if not any(value.strip() for value in values):
            continue
        row = {key: value for key, value in zip(header, values) if key}
        if len(values) > len(header):
            row["_extra"] = True
        rows.append((reader.line_num, row))
    return rows


def validate(session: Session, rows: list[tuple[int, dict]]):
    """Clean every row; returns (structures to upsert, rejected rows), checking parents across the file."""
    networks = set(repo.network_names(session))
    stored_parents = repo.parents(session)
    accepted: dict[str, tuple[int, object]] = {}
    rejected: list[Rejected] = []
    for line, row in rows:
        code = str(row.get("code") or "").strip().upper()
        try:
            if row.get("_extra"):
                raise InvalidStructure({"_row": ["La ligne a plus de colonnes que l'en-tête."]})
            structure = clean(row, networks)
        except InvalidStructure as error:
            rejected.append(Rejected(line, code, error.errors))
            continue
        if structure.code in accepted:
            rejected.append(Rejected(line, code, {"code": [
                f"Code en double dans le fichier (déjà à la ligne {accepted[structure.code][0]})."]}))
            continue
        accepted[structure.code] = (line, structure)
    # A parent must exist, in the referential or among the accepted rows; rejecting one may orphan others.
    changed = True
    while changed:
        changed = False
        parents = {**stored_parents, **{code: s.parent_code for code, (_, s) in accepted.items()}}
        for code, (line, structure) in list(accepted.items()):
            parent = structure.parent_code
            problem = None
            if parent and parent not in accepted and parent not in stored_parents:
                problem = f"Structure parente inconnue : « {parent} »."
            elif parent and creates_cycle(code, parent, parents):
                problem = "Ce rattachement créerait une boucle entre structures."
            if problem:
                rejected.append(Rejected(line, code, {"parent_code": [problem]}))
                del accepted[code]
                changed = True
    rejected.sort(key=lambda item: item.line)
    return [structure for _, structure in accepted.values()], rejected


def run(session_factory, content: bytes, progress: Callable[[int, int, UpsertCounts], None] = lambda *a: None):
    """Import a whole file; ``session_factory`` is ``database.unit_of_work`` (one transaction per chunk).

    Returns (counts, rejected rows). ``progress(done, total, counts)`` is called after each chunk.
    """
    rows = parse(decode(content))
    with session_factory() as session:
        good, rejected = validate(session, rows)
        names = repo.network_names(session)
    counts, total, done = UpsertCounts(), len(rows), len(rows) - len(good)
    progress(done, total, counts)
    for start in range(0, len(good), CHUNK):
        chunk = good[start:start + CHUNK]
        with session_factory() as session:
            counts.add(upsert_many(session, chunk, names))
        done += len(chunk)
        progress(done, total, counts)
    return counts, rejected


# -- imports uploaded through the admin pages or the API, processed by the worker ----------------

def submit(session: Session, filename: str, content: bytes, created_by: str) -> str:
    """Store an uploaded file for the worker; the file is checked for a readable header first."""
    text = decode(content)
    rows = parse(text)
    import_id = str(uuid.uuid4())
    session.execute(insert(structure_imports).values(
        id=import_id, filename=filename[:255] or "import.csv", content=text, status="pending", total=len(rows),
        processed=0, inserted=0, updated=0, unchanged=0, rejected=0, report="[]", created_by=created_by,
        created_at=utcnow()))
    return import_id


def get(session: Session, import_id: str):
    return session.execute(select(structure_imports).where(structure_imports.c.id == import_id)).mappings().first()


def process_pending(database: Database, lease: dt.timedelta = LEASE) -> int:
    """Worker job: claim one pending import (or one whose worker died: its lease ran out) and run
    it, saving progress and extending the lease after each chunk. Running an import again from
    the start is safe: rows already imported come out "unchanged"."""
    with database.unit_of_work() as session:
        now = utcnow()
        claimed = session.execute(
            select(structure_imports.c.id, structure_imports.c.content)
            .where(or_(structure_imports.c.status == "pending",
                       and_(structure_imports.c.status == "running", structure_imports.c.lease_until < now)))
            .order_by(structure_imports.c.created_at)
            .limit(1).with_for_update(skip_locked=True)).first()
        if claimed is None:
            return 0
        session.execute(update(structure_imports).where(structure_imports.c.id == claimed.id)
                        .values(status="running", lease_until=now + lease))

    def save_progress(done, total, counts):
        with database.unit_of_work() as session:
            session.execute(update(structure_imports).where(structure_imports.c.id == claimed.id).values(
                processed=done, total=total, inserted=counts.inserted, updated=counts.updated,
                unchanged=counts.unchanged, lease_until=utcnow() + lease))

    try:
        counts, rejected = run(database.unit_of_work, claimed.content.encode("utf-8"), save_progress)
    except ImportFileError as error:
        with database.unit_of_work() as session:
            session.execute(update(structure_imports).where(structure_imports.c.id == claimed.id)
                            .values(status="failed", error=str(error), finished_at=utcnow()))
        return 1
    report = json.dumps([dataclasses.asdict(item) for item in rejected], ensure_ascii=False)
    with database.unit_of_work() as session:
        session.execute(update(structure_imports).where(structure_imports.c.id == claimed.id).values(
            status="done", rejected=len(rejected), report=report, finished_at=utcnow(),
            inserted=counts.inserted, updated=counts.updated, unchanged=counts.unchanged))
    return 1
