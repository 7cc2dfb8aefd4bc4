"""The routing table as plain data: which upstream answers a method and path, with which policy.

No I/O here; ``config.load_routing`` builds the table from ``routes.toml`` and the environment.
"""
from __future__ import annotations

import dataclasses
import functools
from urllib.parse import urlsplit

ROLES = ("admin", "moderator", "agent", "authenticated")


@dataclasses.dataclass(frozen=True)
class Upstream:
    name: str
    url: str
    connect_timeout: float = 2.0
    read_timeout: float = 30.0

    @functools.cached_property
    def path_prefix(self) -> str:
        """The path part of ``url`` ("" for ``http://host:port``), put before every forwarded path."""
        return urlsplit(self.url).path.rstrip("/")


@dataclasses.dataclass(frozen=True)
class Route:
    prefix: str
    upstream: str
    methods: frozenset[str] = frozenset()
    exact: bool = False
    role: str | None = None
    max_body: int = 64 * 1024
    rate_limit: str = "300 per minute"

    def __post_init__(self):
        if not self.prefix.startswith("/"):
            raise ValueError(f"route prefix must start with '/': {self.prefix!r}")
        if self.role is not None and self.role not in ROLES:
            raise ValueError(f"unknown role {self.role!r} for {self.prefix}")

    @functools.cached_property
    def segments(self) -> tuple[str, ...]:
        return split(self.prefix)

    @property
    def name(self) -> str:
        """A stable label for metrics, logs and rate-limit scopes (never the real path)."""
        methods = ",".join(sorted(self.methods - {"HEAD"}) or ["HEAD"]) if self.methods else "ANY"
        return f"{methods} {self.prefix}{'' if not self.exact else '$'}"

    def specificity(self) -> tuple[int, int, bool, bool]:
        segments = self.segments
        return (len(segments), sum(segment != "*" for segment in segments), self.exact, bool(self.methods))

    def matches(self, method: str, path_segments: tuple[str, ...]) -> bool:
        if self.methods and method not in self.methods:
            return False
        segments = self.segments
        if len(path_segments) < len(segments) or (self.exact and len(path_segments) != len(segments)):
            return False
        return all(want == "*" or want == got for want, got in zip(segments, path_segments))


def split(path: str) -> tuple[str, ...]:
    return tuple(segment for segment in path.split("/") if segment)


class RoutingTable:
    def __init__(self, upstreams: dict[str, Upstream], routes: list[Route]):
        missing = {route.upstream for route in routes} - set(upstreams)
        if missing:
            raise ValueError(f"routes point to unknown upstreams: {sorted(missing)}")
        self.upstreams = upstreams
        # Most specific first, so the first match wins.
        self.routes = sorted(routes, key=Route.specificity, reverse=True)

    def match(self, method: str, path: str) -> Route | None:
        method = method.upper()
        path_segments = split(path)
        for route in self.routes:
            if route.matches(method, path_segments):
                return route
        return None

    def upstream_for(self, route: Route) -> Upstream:
        return self.upstreams[route.upstream]
