"""Benchmark: structure search for autocomplete on 15,000+ structures, through the HTTP API
(Flask test client, so routing, validation, the referential version read from the database and
serialisation count). Target: p95 ≤ 20 ms. Also printed: the first search after a change, which
rebuilds the process's in-memory index.

    .venv/bin/python bench/identity_search.py          # SQLite file
    BENCH_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/identity_search.py
"""
from __future__ import annotations

import dataclasses
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from identity_common import bench_database, generated_csv  # noqa: E402
from sqlalchemy import text  # noqa: E402

from spplus.identity.adapters import structures_repository  # noqa: E402
from spplus.identity.bootstrap import spec  # noqa: E402
from spplus.identity.service_layer import imports, structures  # noqa: E402

TARGET_P95_MS = 20.0
QUERIES = ("caf", "caf ga", "caf du gard", "cpam rh", "impots", "impôts particuliers lyon", "france trav",
           "france travail nimes", "nimes", "NÎMES", "pref", "préfecture des landes", "accueil", "antenne caf",
           "agence ft marseille", "urssaf", "30000", "69", "consulat londres", "services alès", "msa", "dgfip 75",
           "permanence", "zzz", "point d acc", "crous")
ROUNDS = 20


def main() -> int:
    os.environ.setdefault("SPPLUS_VAR_DIR", tempfile.mkdtemp(prefix="identity-bench-"))
    with bench_database() as database:
        with database.unit_of_work() as session:
            structures.load_seed(session)
        imports.run(database.unit_of_work, generated_csv())
        if database.engine.dialect.name == "postgresql":
            # What autovacuum does soon after a bulk load in a live database: fresh planner statistics.
            with database.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                connection.execute(text("ANALYZE"))
        app = spec.create_app(spec.settings(), database)
        client = app.test_client()
        timings, cpu = [], []
        for round_number in range(ROUNDS + 1):
            for query in QUERIES:
                started, started_cpu = time.perf_counter(), time.process_time()
                response = client.get("/api/v1/structures", query_string={"q": query, "per_page": 10})
                elapsed = (time.perf_counter() - started) * 1000
                assert response.status_code == 200, response.get_data(as_text=True)
                if round_number:  # the first round warms caches and connections
                    timings.append(elapsed)
                    cpu.append((time.process_time() - started_cpu) * 1000)
        total = client.get("/api/v1/structures", query_string={"per_page": 1}).get_json()["total"]
        # The price of a change: the next search of every process rebuilds its in-memory index.
        rebuilds = []
        for _ in range(3):
            with database.unit_of_work() as session:
                current = structures_repository.by_codes(session, ["CAF-30"])["CAF-30"]
                structures.upsert_many(session, [dataclasses.replace(current, active=not current.active)])
            started = time.perf_counter()
            client.get("/api/v1/structures", query_string={"q": "caf", "per_page": 10})
            rebuilds.append((time.perf_counter() - started) * 1000)
        # A reference on the same machine at the same moment: the cheapest request of the app.
        baseline = []
        for _ in range(len(timings)):
            started = time.perf_counter()
            client.get("/healthz")
            baseline.append((time.perf_counter() - started) * 1000)
    p95 = statistics.quantiles(timings, n=100)[94]
    ok = p95 <= TARGET_P95_MS
    print(f"identity search: {len(timings)} searches on {total} structures ({database.engine.dialect.name}): "
          f"median {statistics.median(timings):.1f} ms, p95 {p95:.1f} ms; target p95 ≤ {TARGET_P95_MS:.0f} ms: "
          f"{'OK' if ok else 'MISSED'}")
    # Wall-clock time is what counts; on a busy machine, this process's own CPU time per search
    # (all of it with SQLite, the Python side only with PostgreSQL) helps read the result.
    print(f"  (this process's CPU per search: p95 {statistics.quantiles(cpu, n=100)[94]:.1f} ms; "
          f"GET /healthz for reference: median {statistics.median(baseline):.1f} ms; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)")
    print(f"  (first search after a change of the referential, which rebuilds the process's index: "
          f"median {statistics.median(rebuilds):.0f} ms)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
