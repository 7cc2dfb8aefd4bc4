"""Benchmark of the agents' inbox and dashboard on a realistic volume.

20,000 published experiences (1 to 2 structures each) over 300 structures; an agent scoped on a
network's head structures lists their inbox (first page, newest first), searches a word, filters
overdue items, and loads the dashboard.
Targets: inbox page p95 <= 50 ms, search p95 <= 150 ms, dashboard p95 <= 800 ms.

Database: RESPONSES_BENCH_DATABASE_URL (e.g. a PostgreSQL database), else a SQLite file in a
temporary folder (the local default). Run: .venv/bin/python bench/responses_inbox.py
"""
from __future__ import annotations

import datetime as dt
import os
import random
import statistics
import tempfile
import time
import uuid

from spplus.chassis.auth import Principal
from spplus.chassis.db import Database
from spplus.chassis.migrations import upgrade
from spplus.responses.adapters.tables import experiences, items, structures
from spplus.responses.service_layer import queries
from sqlalchemy import insert

EXPERIENCES, NETWORKS, HEADS_PER_NETWORK, CHILDREN = 20_000, 6, 10, 4
TARGETS_MS = {"inbox": 50, "search": 150, "overdue": 50, "dashboard": 800}
WORDS = ["attente", "guichet", "dossier", "courrier", "téléphone", "rendez-vous", "attestation", "paiement",
         "retard", "accueil"]
# Everyday words around the topical ones, so a two-word search matches a few percent of the stories.
FILLER = [f"{stem}{suffix}" for stem in ("demande", "service", "agent", "formulaire", "document", "semaine",
                                          "réponse", "situation", "compte", "droit")
          for suffix in ("", "s", "ment", "ait", "ée", "ant", "eur", "aire", "ique", "iste")]


def seed(database: Database) -> list[str]:
    now = dt.datetime.now(dt.timezone.utc)
    rows, codes = [], []
    for n in range(NETWORKS):
        for h in range(HEADS_PER_NETWORK):
            head = f"N{n}-S{h}"
            rows.append({"code": head, "name": f"Structure {h} du réseau {n}", "network_code": f"N{n}",
                         "network_name": f"Réseau {n}", "parent_code": None, "active": True, "updated_at": now})
            codes.append(head)
            for c in range(CHILDREN):
                rows.append({"code": f"{head}-{c}", "name": f"Antenne {c} de {head}", "network_code": f"N{n}",
                             "network_name": f"Réseau {n}", "parent_code": head, "active": True, "updated_at": now})
                codes.append(f"{head}-{c}")
    random.seed(7)
    experience_rows, item_rows = [], []
    for _ in range(EXPERIENCES):
        experience_id = str(uuid.uuid4())
        published = now - dt.timedelta(days=random.uniform(0, 120))
        words = random.sample(WORDS, 2) + random.choices(FILLER, k=58)
        random.shuffle(words)
        experience_rows.append({"id": experience_id, "title": " ".join(random.sample(WORDS, 2)).capitalize(),
                                "description": " ".join(words), "path": [],
                                "submitted_at": published, "published_at": published})
        for code in random.sample(codes, random.choice((1, 1, 2))):
            answered = random.random() < 0.6
            item_rows.append({"id": str(uuid.uuid4()), "experience_id": experience_id, "structure_code": code,
                              "structure_name": code, "state": "repondu" if answered else "a_traiter",
                              "received_at": published, "closed": False, "actions_made": int(random.random() < .1),
                              "first_answered_at": published + dt.timedelta(days=random.uniform(0, 30)) if answered
                              else None, "updated_at": now})
    with database.unit_of_work() as session:
        session.execute(insert(structures), rows)
        session.execute(insert(experiences), experience_rows)
        session.execute(insert(items), item_rows)
    return [f"N0-S{h}" for h in range(HEADS_PER_NETWORK)]


def measure(label: str, action, runs: int = 60) -> float:
    action()  # warm
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        timings.append((time.perf_counter() - started) * 1000)
    p95 = statistics.quantiles(timings, n=20)[-1]
    verdict = "ok" if p95 <= TARGETS_MS[label] else "TOO SLOW"
    print(f"{label:10s} p95 {p95:7.1f} ms   target <= {TARGETS_MS[label]} ms   {verdict}")
    return p95


def main() -> None:
    url = os.environ.get("RESPONSES_BENCH_DATABASE_URL")
    folder = tempfile.mkdtemp()
    url = url or f"sqlite:///{folder}/responses-bench.db"
    upgrade("spplus.responses:migrations", url)
    database = Database(url)
    started = time.perf_counter()
    heads = seed(database)
    print(f"seeded {EXPERIENCES} experiences in {time.perf_counter() - started:.1f} s on {url.split(':')[0]}")
    agent = Principal(subject="bench", email="agent@bench.fr", roles=frozenset({"agent"}),
                      structures=frozenset(heads), token_id="bench")
    measure("inbox", lambda: queries.list_items(database, agent, queries.Filters(), 15))
    measure("search", lambda: queries.list_items(database, agent, queries.Filters(q="guichet attente"), 15))
    measure("overdue", lambda: queries.list_items(database, agent, queries.Filters(overdue=True), 15))
    measure("dashboard", lambda: queries.dashboard(database, agent, None, 15), runs=20)
    database.dispose()


if __name__ == "__main__":
    main()
