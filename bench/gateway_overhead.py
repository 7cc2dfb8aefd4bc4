"""Gateway overhead: the same GET straight to a service and through the gateway, in one run.

Both run under gunicorn (gthread) as deployed: a service page representative of the public
site (the chassis app factory, a SQLite query of 20 published experiences, the shared layout
rendered by Jinja) and the gateway in front of it (routing, rate limit counted in memory,
security headers, access log, metrics: everything a public GET goes through). Load comes from
a few processes holding keep-alive connections; direct and gateway rounds alternate so a
machine busy with other work weighs on both alike.

Targets: throughput through the gateway ≥ 0.8 × direct; added p99 latency ≤ 5 ms.

Two layouts. The one that decides is the deployed one: the gateway is scaled apart from the
services, so the service gets one CPU and the gateway the other(s), which it shares with the
load generator (a handicap for the gateway). The other puts everything on the same CPUs and is
printed for information with its CPU bound: when every CPU is busy, each forwarded request
also pays the gateway's own CPU, so the ratio cannot exceed (service + load) / (service + load
+ gateway) — about 0.6 for a Python gateway in front of a Python page of about 1 ms.

    .venv/bin/python bench/gateway_overhead.py [--seconds 4] [--rounds 3] [--connections 8] [--layout both]
"""
from __future__ import annotations

import argparse
import http.client
import multiprocessing
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

TARGET_RATIO = 0.8
TARGET_ADDED_P99_MS = 5.0
PATH = "/experiences?page=1"


# -- the service: a representative public page ---------------------------------------------------

PAGE = """{% extends "layout.html" %}
{% block title %}Les expériences{% endblock %}
{% block content %}
  <h1>Les expériences publiées</h1>
  <ol class="list">
  {% for row in rows %}
    <li><article><h2><a href="/experiences/{{ row.id }}">{{ row.title }}</a></h2>
      <p>{{ row.structure }} · {{ row.feeling }} · {{ row.published_at }}</p>
      <p>{{ row.body[:280] }}</p></article></li>
  {% endfor %}
  </ol>
{% endblock %}
"""


def _table():
    import sqlalchemy as sa

    metadata = sa.MetaData()
    return metadata, sa.Table("experiences", metadata, sa.Column("id", sa.Integer, primary_key=True),
                              sa.Column("title", sa.String(200)), sa.Column("structure", sa.String(200)),
                              sa.Column("feeling", sa.String(20)), sa.Column("published_at", sa.String(30)),
                              sa.Column("body", sa.Text))


def prepare_database() -> None:
    import sqlalchemy as sa
    from spplus.chassis.db import Database
    from spplus.chassis.settings import load_settings

    database = Database(load_settings("benchservice").database_url)
    metadata, experiences = _table()
    with database.unit_of_work() as session:
        metadata.create_all(session.connection())
        if not session.execute(sa.select(sa.func.count()).select_from(experiences)).scalar():
            session.execute(experiences.insert(), [
                {"title": f"Accueil à la caisse d'allocations familiales n° {index}",
                 "structure": "CAF du Gard", "feeling": "positive", "published_at": "2026-11-02",
                 "body": "Très bon accueil au guichet, dossier traité en une semaine. " * 8}
                for index in range(200)])
        session.commit()
    database.dispose()


def service_app():
    import sqlalchemy as sa
    from flask import render_template, request
    from jinja2 import DictLoader
    from spplus.chassis.db import Database
    from spplus.chassis.settings import load_settings
    from spplus.chassis.web import create_base_app

    settings = load_settings("benchservice")
    database = Database(settings.database_url)
    _metadata, experiences = _table()
    app, _api = create_base_app("benchservice", settings, database, __name__, "bench")
    app.jinja_loader.loaders.insert(0, DictLoader({"list.html": PAGE}))

    @app.get("/experiences")
    def experiences_page():
        page = max(1, request.args.get("page", 1, type=int))
        with database.unit_of_work() as session:
            rows = session.execute(sa.select(experiences).order_by(experiences.c.id.desc())
                                   .limit(20).offset((page - 1) * 20)).mappings().all()
        return render_template("list.html", rows=rows)

    return app


def serve_service(port: int) -> None:
    from gunicorn.app.base import BaseApplication

    from spplus.chassis.cli import gunicorn_options

    class Service(BaseApplication):
        def load_config(self):
            options = {**gunicorn_options(f"127.0.0.1:{port}", 2, 4), "loglevel": "warning"}
            for key, value in options.items():
                if key in self.cfg.settings:
                    self.cfg.set(key, value)

        def load(self):
            return service_app()

    prepare_database()
    Service().run()


# -- load ---------------------------------------------------------------------------------------

def _load_worker(url: str, seconds: float, connections: int, queue, cpus=None) -> None:
    import threading

    if cpus:
        os.sched_setaffinity(0, cpus)

    parts = urlsplit(url)
    cpu_started = time.process_time()
    latencies: list[float] = []
    errors = [0]
    stop_at = time.perf_counter() + seconds

    def run():
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
        local = []
        while time.perf_counter() < stop_at:
            started = time.perf_counter()
            try:
                connection.request("GET", PATH, headers={"Accept": "text/html"})
                response = connection.getresponse()
                response.read()
                if response.status != 200:
                    errors[0] += 1
                    continue
            except (OSError, http.client.HTTPException):
                errors[0] += 1
                connection.close()
                connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
                continue
            local.append(time.perf_counter() - started)
        latencies.extend(local)
        connection.close()

    threads = [threading.Thread(target=run) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    queue.put((latencies, errors[0], time.process_time() - cpu_started))


def measure(url: str, seconds: float, connections: int, cpus=None) -> dict:
    queue = multiprocessing.Queue()
    processes = 1 if connections == 1 else 2
    per_process = max(1, connections // processes)
    workers = [multiprocessing.Process(target=_load_worker, args=(url, seconds, per_process, queue, cpus))
               for _ in range(processes)]
    started = time.perf_counter()
    for worker in workers:
        worker.start()
    results = [queue.get() for _ in workers]
    for worker in workers:
        worker.join()
    elapsed = time.perf_counter() - started
    latencies = sorted(latency for result, _errors, _cpu in results for latency in result)
    errors = sum(error for _result, error, _cpu in results)
    return {"requests": len(latencies), "errors": errors, "rps": len(latencies) / min(elapsed, seconds + 0.5),
            "load_cpu": sum(cpu for _result, _errors, cpu in results),
            "p50_ms": _percentile(latencies, 50) * 1000, "p99_ms": _percentile(latencies, 99) * 1000}


def _percentile(values: list[float], percent: float) -> float:
    if not values:
        return float("nan")
    index = min(len(values) - 1, max(0, round(percent / 100 * len(values)) - 1))
    return values[index]


# -- processes ----------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def cpu_seconds(group: int) -> float:
    """User + system CPU of every process in a process group (gunicorn master and workers)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == group:  # pgrp
            total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


def wait_ready(url: str, timeout: float = 60) -> None:
    parts = urlsplit(url)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=2)
            connection.request("GET", PATH)
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"{url} did not start")


def run_layout(name: str, args, cpus: dict | None) -> dict:
    """Start the service and the gateway (pinned to CPUs when ``cpus`` is given), then alternate
    direct and gateway rounds: a latency phase (one connection, requests one after the other)
    and a throughput phase (``--connections`` keep-alive connections)."""
    workdir = Path(tempfile.mkdtemp(prefix="spplus-bench-gateway-"))
    service_port, gateway_port = free_port(), free_port()
    service_url, gateway_url = f"http://127.0.0.1:{service_port}", f"http://127.0.0.1:{gateway_port}"
    routes = workdir / "routes.toml"
    # The public site's catch-all route, with a limit no benchmark reaches (it is still counted).
    routes.write_text(f'[upstreams.publication]\nurl = "{service_url}"\n'
                      '[[routes]]\nprefix = "/"\nupstream = "publication"\nrate_limit = "100000000 per minute"\n')
    env = {**os.environ, "SPPLUS_VAR_DIR": str(workdir), "SPPLUS_LOG_LEVEL": "INFO",
           "GATEWAY_ROUTES_FILE": str(routes)}  # workers and threads: the gateway's defaults (or GATEWAY_WEB_*)

    def pinned(role):
        return (lambda: os.sched_setaffinity(0, cpus[role])) if cpus else None

    processes = [
        subprocess.Popen([sys.executable, __file__, "--serve-service", str(service_port)], env=env,
                         start_new_session=True, stderr=(workdir / "service.log").open("w"),
                         preexec_fn=pinned("service")),  # noqa: PLW1509 - no thread runs yet
        subprocess.Popen([sys.executable, "-m", "spplus.gateway", "api", "--bind", f"127.0.0.1:{gateway_port}"],
                         env=env, start_new_session=True, stderr=(workdir / "gateway.log").open("w"),
                         preexec_fn=pinned("gateway")),  # noqa: PLW1509 - no thread runs yet
    ]
    service_group, gateway_group = processes[0].pid, processes[1].pid
    load_cpus = cpus["load"] if cpus else None
    result = {"name": name, "latency": {"direct": [], "gateway": []}, "throughput": {"direct": [], "gateway": []},
              "cpu": {"service": 0.0, "gateway": 0.0, "load": 0.0, "requests": 0}}
    try:
        wait_ready(service_url)
        wait_ready(gateway_url)
        measure(service_url, 1.0, args.connections, load_cpus)  # warm-up: imports, pools, caches
        measure(gateway_url, 1.0, args.connections, load_cpus)
        for round_number in range(args.rounds):
            for phase, connections in (("latency", 1), ("throughput", args.connections)):
                result[phase]["direct"].append(measure(service_url, args.seconds, connections, load_cpus))
                before = cpu_seconds(service_group), cpu_seconds(gateway_group)
                through = measure(gateway_url, args.seconds, connections, load_cpus)
                result[phase]["gateway"].append(through)
                if phase == "throughput":
                    result["cpu"]["service"] += cpu_seconds(service_group) - before[0]
                    result["cpu"]["gateway"] += cpu_seconds(gateway_group) - before[1]
                    result["cpu"]["load"] += through["load_cpu"]
                    result["cpu"]["requests"] += through["requests"]
            print(f"  {name}, round {round_number + 1}: "
                  f"throughput direct {result['throughput']['direct'][-1]['rps']:.0f} / gateway "
                  f"{result['throughput']['gateway'][-1]['rps']:.0f} req/s; latency p99 direct "
                  f"{result['latency']['direct'][-1]['p99_ms']:.2f} / gateway "
                  f"{result['latency']['gateway'][-1]['p99_ms']:.2f} ms", flush=True)
    finally:
        for process in processes:
            os.killpg(process.pid, signal.SIGTERM)
        for process in processes:
            process.wait(30)
        shutil.rmtree(workdir, ignore_errors=True)
    return result


def summarize(result: dict, decides: bool) -> bool:
    def median(phase, way, key):
        return statistics.median(item[key] for item in result[phase][way])

    ratio = median("throughput", "gateway", "rps") / median("throughput", "direct", "rps")
    added_p50 = median("latency", "gateway", "p50_ms") - median("latency", "direct", "p50_ms")
    added_p99 = median("latency", "gateway", "p99_ms") - median("latency", "direct", "p99_ms")
    errors = sum(item["errors"] for phase in ("latency", "throughput") for way in ("direct", "gateway")
                 for item in result[phase][way])
    cpu = result["cpu"]
    ok = ratio >= TARGET_RATIO and added_p99 <= TARGET_ADDED_P99_MS and errors == 0
    print(f"[{result['name']}]" + ("" if decides else " (for information)"))
    print(f"  throughput: direct {median('throughput', 'direct', 'rps'):.0f} req/s, gateway "
          f"{median('throughput', 'gateway', 'rps'):.0f} req/s -> ratio {ratio:.2f} (target >= {TARGET_RATIO})")
    print(f"  latency, one request at a time: direct p50 {median('latency', 'direct', 'p50_ms'):.2f} ms "
          f"p99 {median('latency', 'direct', 'p99_ms'):.2f} ms; gateway p50 {median('latency', 'gateway', 'p50_ms'):.2f}"
          f" ms p99 {median('latency', 'gateway', 'p99_ms'):.2f} ms -> added p50 {added_p50:.2f} ms, "
          f"added p99 {added_p99:.2f} ms (target <= {TARGET_ADDED_P99_MS} ms)")
    if cpu["requests"]:
        service, gateway, load = (cpu[key] / cpu["requests"] * 1000 for key in ("service", "gateway", "load"))
        print(f"  CPU per forwarded request: service {service:.2f} ms, gateway {gateway:.2f} ms, "
              f"load generator {load:.2f} ms; errors {errors}")
        if not decides:
            # When every part shares the same CPUs and they are all busy, each forwarded request
            # also pays the gateway's CPU: the ratio cannot exceed this, whatever the concurrency.
            print(f"  CPU bound on shared CPUs: (service + load) / (service + load + gateway) = "
                  f"{(service + load) / (service + load + gateway):.2f}")
    print(f"  {'OK' if ok else 'TARGET MISSED'}" if decides else f"  {'within' if ok else 'outside'} the targets")
    return ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=4.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--layout", choices=("shared", "separate", "both"), default="both",
                        help="separate (as deployed, decides): the service pinned to one CPU, the gateway and "
                             "the load on the others; shared: all on the same CPUs (for information)")
    parser.add_argument("--serve-service", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_service:
        serve_service(args.serve_service)
        return
    cpus = sorted(os.sched_getaffinity(0))
    print(f"GET {PATH} on a {len(cpus)}-CPU machine (load average {os.getloadavg()[0]:.1f}), "
          f"{args.rounds} rounds x {args.seconds:.0f} s per phase and way")
    layouts = []  # (name, pinning, decides)
    separate = args.layout in ("separate", "both") and len(cpus) >= 2
    if args.layout in ("shared", "both"):
        layouts.append(("shared CPUs: load, gateway and service compete", None, not separate))
    if separate:
        # As deployed, the gateway has CPUs of its own (it is scaled apart from the services):
        # the service on one CPU, the gateway with the load generator on the others.
        layouts.append(("separate CPUs (as deployed): service alone, gateway + load on the rest",
                        {"service": {cpus[-1]}, "gateway": set(cpus[:-1]), "load": set(cpus[:-1])}, True))
    verdicts = [summarize(run_layout(name, args, pinning), decides) for name, pinning, decides in layouts]
    sys.exit(0 if all(ok for ok, (_name, _pinning, decides) in zip(verdicts, layouts) if decides) else 1)

if __name__ == "__main__":
    main()
