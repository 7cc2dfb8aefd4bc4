"""Load test of the publication service, straight to the service (no gateway).

For each database given (filled by publication_generate.py), starts the real API (gunicorn,
the service's ``api`` role), then with 20 concurrent clients measures:
- list: /api/v1/experiences with filters, sorts and pages;
- search: /api/v1/experiences?q=... with French words (common and rare);
- export: the whole CSV streamed, with the peak memory (RSS) of the serving process.

    .venv/bin/python bench/publication_load.py \
        --database-url postgresql+psycopg://postgres@127.0.0.1:5432/pub_bench_10k \
        --database-url postgresql+psycopg://postgres@127.0.0.1:5432/spplus_publication_bench

Targets (issue 8): list and search p95 <= 50 ms at 20 clients; search p95 at the largest size
at most 3x its p95 at the smallest; CSV export of the largest under 200 MB of RSS.
"""
from __future__ import annotations

import argparse
import http.client
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEARCH_WORDS = ["logement", "rendez-vous", "carte grise", "retraite", "remboursement soins", "téléphone attente",
                "conseiller patience", "passeport", "justificatifs", "formulaire en ligne", "impôt", "allocations",
                "titre de séjour", "cotisations", "dossier bloqué", "courriel réponse", "pension réversion",
                "prime d'activité", "carte Vitale", "accueil"]
VAR_DIR = "/tmp/spplus-bench-var"
NETWORKS = ["CAF", "CPAM", "CARSAT", "FT", "DGFIP", "PREF", "URSSAF", "MSA", "ANTS", "FS"]


def list_query(rng: random.Random) -> str:
    params = {"page": rng.choice([1, 1, 1, 2, 3, 10]), "per_page": 20}
    choice = rng.random()
    if choice < 0.25:
        params["network"] = rng.choice(NETWORKS)
    elif choice < 0.45:
        params["structure"] = f"{rng.choice(NETWORKS)}{rng.randrange(40):02d}"
    elif choice < 0.6:
        params["feeling"] = rng.choice(["positive", "neutral", "negative"])
    elif choice < 0.75:
        params["answered"] = rng.choice(["true", "false"])
    elif choice < 0.85:
        params["from"], params["to"] = "2025-03-01", "2025-04-30"
    if rng.random() < 0.2:
        params["sort"] = "similar"
    return "/api/v1/experiences?" + urllib.parse.urlencode(params)


def search_query(rng: random.Random) -> str:
    params = {"q": rng.choice(SEARCH_WORDS), "page": rng.choice([1, 1, 1, 1, 2, 3]), "per_page": 20}
    if rng.random() < 0.2:
        params["network"] = rng.choice(NETWORKS)
    if rng.random() < 0.1:
        params["sort"] = "relevance"
    return "/api/v1/experiences?" + urllib.parse.urlencode(params)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Service:
    def __init__(self, database_url: str, workers: int, threads: int):
        self.port = free_port()
        env = {**os.environ, "PUBLICATION_DATABASE_URL": database_url, "PUBLICATION_LOG_LEVEL": "WARNING",
               "SPPLUS_VAR_DIR": VAR_DIR}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "spplus.chassis.service_cli", "publication", "api",
             "--bind", f"127.0.0.1:{self.port}", "--workers", str(workers), "--threads", str(threads)],
            env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if get(self.port, "/healthz")[0] == 200:
                    return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise SystemExit("the publication service did not start")

    def wait_for_search_index(self, database_url: str, timeout: float = 300) -> float:
        """Seconds until the API processes' search index holds the database (it is built at
        the first start, then kept up to date; until then searches go to PostgreSQL)."""
        from sqlalchemy import create_engine

        from spplus.publication.adapters.search_index import instance_folder

        engine = create_engine(database_url)
        with engine.connect() as connection:
            state = instance_folder(Path(VAR_DIR) / "publication-search", connection) / "state.json"
        engine.dispose()
        started = time.monotonic()
        while not state.exists():
            if time.monotonic() - started > timeout:
                raise SystemExit("the search index was not built in time")
            time.sleep(0.2)
        return time.monotonic() - started

    def pids(self) -> list[int]:
        out = subprocess.run(["pgrep", "-g", str(self.process.pid)], capture_output=True, text=True).stdout
        return [int(pid) for pid in out.split()]

    def stop(self) -> None:
        os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(timeout=30)


def get(port: int, path: str, connection: http.client.HTTPConnection | None = None) -> tuple[int, int]:
    own = connection is None
    connection = connection or http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.request("GET", path)
    response = connection.getresponse()
    size = len(response.read())
    if own:
        connection.close()
    return response.status, size


def run_clients(port: int, make_path, clients: int, per_client: int, seed: int) -> list[float]:
    timings: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()

    def client(index: int) -> None:
        rng = random.Random(seed + index)
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        mine = []
        for _ in range(per_client):
            path = make_path(rng)
            started = time.perf_counter()
            status, _size = get(port, path, connection)
            mine.append(time.perf_counter() - started)
            if status != 200:
                errors.append(f"{status} {path}")
        connection.close()
        with lock:
            timings.extend(mine)

    threads = [threading.Thread(target=client, args=(index,)) for index in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise SystemExit(f"{len(errors)} failed requests, e.g. {errors[:3]}")
    return timings


def p95(timings: list[float]) -> float:
    return statistics.quantiles(timings, n=100)[94] * 1000


def rss_kb(pid: int, field: str = "RssAnon") -> int:
    """Resident memory of a process in kB. ``RssAnon`` (the default) is the memory the process
    holds itself; ``VmRSS`` adds the pages of files it maps (the search index, shared with the
    page cache and dropped by the kernel when memory is short)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def export(service: Service, limit_seconds: float | None = None) -> tuple[float, int, float, float, float]:
    """(seconds, bytes, peak private memory in MB of the largest serving process, the same
    before, peak RSS with mapped files) for the whole CSV."""
    peak, peak_rss, done = [0], [0], threading.Event()
    before = max(rss_kb(pid) for pid in service.pids()) / 1024

    def sample():
        while not done.is_set():
            peak[0] = max([peak[0], *(rss_kb(pid) for pid in service.pids())])
            peak_rss[0] = max([peak_rss[0], *(rss_kb(pid, "VmRSS") for pid in service.pids())])
            time.sleep(0.05)

    sampler = threading.Thread(target=sample)
    sampler.start()
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", service.port, timeout=600)
    connection.request("GET", "/api/v1/opendata/experiences.csv")
    response = connection.getresponse()
    size = 0
    while chunk := response.read(1 << 16):
        size += len(chunk)
        if limit_seconds and time.perf_counter() - started > limit_seconds:
            break  # a partial export still shows whether memory stays flat
    elapsed = time.perf_counter() - started
    connection.close()
    done.set()
    sampler.join()
    return elapsed, size, peak[0] / 1024, before, peak_rss[0] / 1024


def count_rows(database_url: str) -> int:
    from sqlalchemy import create_engine, text

    engine = create_engine(database_url)
    with engine.connect() as connection:
        total = connection.execute(text("SELECT count(*) FROM experiences WHERE status = 'published'")).scalar_one()
    engine.dispose()
    return total


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description="publication load test")
    parser.add_argument("--database-url", action="append", required=True)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=50, help="per client and per kind")
    # The service's deployed defaults (``spplus-service publication api``: 2 workers × 4 threads).
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--no-export", action="store_true")
    parser.add_argument("--export-limit-seconds", type=float, default=None,
                        help="stop reading the CSV after this long (reports what was streamed)")
    args = parser.parse_args(argv)
    print(f"machine: {os.cpu_count()} CPU, load average {os.getloadavg()[0]:.1f}")
    search_p95: dict[int, float] = {}
    export_peak = None
    for url in args.database_url:
        rows = count_rows(url)
        service = Service(url, args.workers, args.threads)
        try:
            waited = service.wait_for_search_index(url)
            print(f"{rows:>9} rows | search index ready after {waited:.1f} s (built at the first start, then kept)")
            run_clients(service.port, list_query, args.clients, 5, seed=99)  # warm-up
            run_clients(service.port, search_query, args.clients, 5, seed=98)
            listing = run_clients(service.port, list_query, args.clients, args.requests, seed=1)
            search = run_clients(service.port, search_query, args.clients, args.requests, seed=2)
            search_p95[rows] = p95(search)
            print(f"{rows:>9} rows | list   p95 {p95(listing):7.1f} ms (median {statistics.median(listing) * 1000:6.1f}) "
                  f"| target <= 50 ms | {len(listing)} requests, {args.clients} clients")
            print(f"{rows:>9} rows | search p95 {search_p95[rows]:7.1f} ms (median {statistics.median(search) * 1000:6.1f}) "
                  f"| target <= 50 ms | {len(search)} requests, {args.clients} clients")
            if not args.no_export and url == args.database_url[-1]:
                seconds, size, peak, before, peak_rss = export(service, args.export_limit_seconds)
                export_peak = peak
                print(f"{rows:>9} rows | CSV export {size / 1e6:8.1f} MB in {seconds:6.1f} s "
                      f"({size / seconds / 1e6:.2f} MB/s), peak private memory (RssAnon) of a serving process "
                      f"{peak:6.1f} MB (largest before the export: {before:.1f} MB; with mapped index files, "
                      f"VmRSS {peak_rss:.1f} MB) | target < 200 MB")
        finally:
            service.stop()
    if len(search_p95) > 1:
        smallest, largest = min(search_p95), max(search_p95)
        ratio = search_p95[largest] / search_p95[smallest]
        print(f"search p95 at {largest} rows / at {smallest} rows = {ratio:.2f} | target <= 3")
    if export_peak is not None and export_peak >= 200:
        print("export memory target missed")


if __name__ == "__main__":
    main()
