"""The combined OpenAPI document: every service's ``/openapi.json`` merged into one.

Only operations the gateway really routes to that service are kept (so the document never
shows a path that would land elsewhere). Components with the same name but different content
in two services are renamed ``<Service><Name>`` in the second one, with its ``$ref``s rewritten.
A service that does not answer is listed under ``x-spplus-unavailable`` and the rest is served.
"""
from __future__ import annotations

import concurrent.futures
import copy
import threading
import time

from .proxy import Upstreams, UpstreamUnavailable
from .routing import RoutingTable

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
DESCRIPTION = ("API publique de Services Publics +. Les appels qui modifient des données avec le cookie de "
               "session exigent le jeton CSRF (en-tête X-CSRF-Token) ; les clients qui envoient "
               "« Authorization: Bearer <jeton> » n'en ont pas besoin.")


def merge(documents: dict[str, dict], table: RoutingTable, unavailable: list[str] = ()) -> dict:
    merged: dict = {
        "openapi": "3.0.3",
        "info": {"title": "API Services Publics +", "version": "v1", "description": DESCRIPTION},
        "servers": [{"url": "/"}],
        "paths": {},
        "components": {},
        "tags": [],
    }
    tag_names: set[str] = set()
    for service in sorted(documents):
        document = copy.deepcopy(documents[service])
        renames = {}
        for section, entries in (document.get("components") or {}).items():
            target = merged["components"].setdefault(section, {})
            for name, value in entries.items():
                if name in target and target[name] != value:
                    renames[f"#/components/{section}/{name}"] = f"#/components/{section}/{service.capitalize()}{name}"
        if renames:
            document = _rewrite_refs(document, renames)
        for section, entries in (document.get("components") or {}).items():
            target = merged["components"][section]
            for name, value in entries.items():
                new_ref = renames.get(f"#/components/{section}/{name}")
                target[new_ref.rsplit("/", 1)[1] if new_ref else name] = value
        for path, item in (document.get("paths") or {}).items():
            kept = {}
            for method, operation in item.items():
                if method not in HTTP_METHODS:
                    continue
                route = table.match(method.upper(), path)
                if route is None or route.upstream != service:
                    continue
                operation = dict(operation)
                operation["x-spplus-service"] = service
                kept[method] = operation
            if kept:
                shared = {key: value for key, value in item.items() if key not in HTTP_METHODS}
                merged["paths"].setdefault(path, shared).update(kept)
        for tag in document.get("tags") or []:
            if tag.get("name") not in tag_names:
                tag_names.add(tag.get("name"))
                merged["tags"].append(tag)
    if unavailable:
        merged["x-spplus-unavailable"] = sorted(unavailable)
    return merged


def _rewrite_refs(node, renames: dict[str, str]):
    if isinstance(node, dict):
        return {key: (renames.get(value, value) if key == "$ref" and isinstance(value, str)
                      else _rewrite_refs(value, renames)) for key, value in node.items()}
    if isinstance(node, list):
        return [_rewrite_refs(value, renames) for value in node]
    return node


class CombinedOpenApi:
    """Fetches the services' documents in parallel, through their pools and breakers; cached."""

    def __init__(self, table: RoutingTable, upstreams: Upstreams, cache_seconds: float = 60.0,
                 timeout: float = 3.0):
        self.table, self.upstreams = table, upstreams
        self.cache_seconds, self.timeout = cache_seconds, timeout
        self._lock = threading.Lock()
        self._cached: tuple[float, dict] | None = None

    def document(self) -> dict:
        with self._lock:
            if self._cached and time.monotonic() - self._cached[0] < self.cache_seconds:
                return self._cached[1]
            names = sorted({route.upstream for route in self.table.routes})
            with concurrent.futures.ThreadPoolExecutor(max_workers=len(names) or 1) as pool:
                results = dict(zip(names, pool.map(self._fetch, names)))
            documents = {name: doc for name, doc in results.items() if doc is not None}
            unavailable = [name for name, doc in results.items() if doc is None]
            merged = merge(documents, self.table, unavailable)
            # A partial document is kept only briefly, so a service back up shows again soon.
            self._cached = (time.monotonic() - (self.cache_seconds - 5 if unavailable else 0), merged)
            return merged

    def _fetch(self, name: str) -> dict | None:
        upstream = self.table.upstreams[name]
        try:
            response = self.upstreams.send(upstream, "GET", "/openapi.json", b"", {"Accept": "application/json"},
                                           None, timeout=(self.timeout, self.timeout))
        except UpstreamUnavailable:
            return None
        try:
            if response.status_code != 200:
                return None
            document = response.json()
            return document if isinstance(document, dict) and "paths" in document else None
        except ValueError:
            return None
        finally:
            response.close()
