"""Build the routing table from ``routes.toml`` (or ``GATEWAY_ROUTES_FILE``) and the environment.

``GATEWAY_UPSTREAM_<NAME>=http://host:port`` overrides the address of one upstream, so a
deployment changes addresses without touching the table.
"""
from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from importlib.resources import files
from pathlib import Path

from .routing import Route, RoutingTable, Upstream

GET_METHODS = {"GET", "HEAD"}


def load_routing(routes_file: str | None = None, environ: Mapping[str, str] | None = None) -> RoutingTable:
    environ = os.environ if environ is None else environ
    path = routes_file or environ.get("GATEWAY_ROUTES_FILE") or ""
    if path:
        raw = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    else:
        raw = tomllib.loads(files("spplus.gateway").joinpath("routes.toml").read_text(encoding="utf-8"))
    return routing_from_mapping(raw, environ)


def routing_from_mapping(raw: Mapping, environ: Mapping[str, str] | None = None) -> RoutingTable:
    environ = os.environ if environ is None else environ
    defaults = raw.get("defaults", {})
    upstreams = {}
    for name, entry in raw.get("upstreams", {}).items():
        url = environ.get(f"GATEWAY_UPSTREAM_{name.upper()}") or entry["url"]
        upstreams[name] = Upstream(
            name=name,
            url=url.rstrip("/"),
            connect_timeout=float(entry.get("connect_timeout", defaults.get("connect_timeout", 2.0))),
            read_timeout=float(entry.get("read_timeout", defaults.get("read_timeout", 30.0))),
        )
    routes = []
    for entry in raw.get("routes", []):
        methods = {method.upper() for method in entry.get("methods", [])}
        if methods & GET_METHODS:
            methods |= GET_METHODS
        routes.append(Route(
            prefix=entry["prefix"],
            upstream=entry["upstream"],
            methods=frozenset(methods),
            exact=bool(entry.get("exact", False)),
            role=entry.get("role"),
            max_body=int(entry.get("max_body", defaults.get("max_body", 64 * 1024))),
            rate_limit=str(entry.get("rate_limit", defaults.get("rate_limit", "300 per minute"))),
        ))
    return RoutingTable(upstreams, routes)
