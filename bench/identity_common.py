"""Shared by the identity benchmarks: a migrated database and 15,000 generated structures."""
from __future__ import annotations

import contextlib
import os
import tempfile
import uuid

from spplus.chassis.db import Database
from spplus.chassis.migrations import upgrade
from spplus.identity.domain.geography import DEPARTEMENTS

STRUCTURES = 15_000
KINDS = ("Accueil", "Agence", "Point d'accueil", "Antenne", "Permanence")
NETWORKS = ("CAF", "CPAM", "FT", "DGFIP", "FS", "MDPH")


@contextlib.contextmanager
def bench_database():
    """PostgreSQL when BENCH_DATABASE_URL (a server URL, a throw-away database is made) is set, else SQLite."""
    server = os.environ.get("BENCH_DATABASE_URL")
    if server:
        from spplus.chassis.testing import create_database, drop_database

        url = create_database(server, "bench")
        try:
            upgrade("spplus.identity:migrations", url)
            database = Database(url)
            yield database
            database.dispose()
        finally:
            drop_database(server, url)
        return
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/identity-bench-{uuid.uuid4().hex[:6]}.db"
        upgrade("spplus.identity:migrations", url)
        database = Database(url)
        yield database
        database.dispose()


def generated_csv(count: int = STRUCTURES) -> bytes:
    """``count`` local structures under the seed's départemental ones (parents exist after the seed)."""
    lines = ["code,network,name,parent_code,postal_code,city"]
    n = 0
    while n < count:
        for dep in DEPARTEMENTS:
            for network in NETWORKS:
                if n >= count:
                    break
                kind = KINDS[n % len(KINDS)]
                parent = f"{network}-{dep.code}"
                name = f"{kind} {network if network != 'FS' else 'France Services'} {dep.chef_lieu} n° {n}"
                lines.append(f"{parent}-L{n},{network},\"{name}\",{parent},{dep.postal_code},{dep.chef_lieu}")
                n += 1
    return ("\n".join(lines) + "\n").encode()
