"""Benchmark: importing 15,000 structures from CSV (target: under 60 s), events included.

    .venv/bin/python bench/identity_import.py          # SQLite file
    BENCH_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/identity_import.py
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

from sqlalchemy import func, select

sys.path.insert(0, str(Path(__file__).parent))

from identity_common import STRUCTURES, bench_database, generated_csv  # noqa: E402

from spplus.chassis.messaging_tables import outbox  # noqa: E402
from spplus.identity.service_layer import imports, structures  # noqa: E402

TARGET_SECONDS = 60.0


def main() -> int:
    content = generated_csv()
    with bench_database() as database:
        with database.unit_of_work() as session:
            structures.load_seed(session)  # the parents the file refers to
        started = time.perf_counter()
        counts, rejected = imports.run(database.unit_of_work, content)
        elapsed = time.perf_counter() - started
        with database.unit_of_work() as session:
            events = session.scalar(select(func.count()).select_from(outbox).where(outbox.c.type == "structure.upserted"))
    ok = counts.inserted == STRUCTURES and not rejected and elapsed < TARGET_SECONDS
    print(f"identity import: {counts.inserted} structures imported in {elapsed:.1f} s "
          f"({len(rejected)} rejected, {events} upsert events in the outbox) on {database.engine.dialect.name}; "
          f"target < {TARGET_SECONDS:.0f} s: {'OK' if ok else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
