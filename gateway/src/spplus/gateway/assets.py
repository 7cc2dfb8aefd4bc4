"""Shared static assets under ``/static/spplus/``: the chassis stylesheet, a small script, icons.

Each file is served twice: under its fingerprinted name (``spplus.3f2a9c1b7d4e.css``, cached
for a year, immutable) and under its plain name (``spplus.css``, revalidated every five
minutes, for the services' layout that links it). ``/static/spplus/manifest.json`` maps plain
names to fingerprinted URLs.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import mimetypes
from importlib.resources import files

from flask import Response, abort, request

IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "public, max-age=300"
PREFIX = "/static/spplus/"


@dataclasses.dataclass(frozen=True)
class Asset:
    name: str
    fingerprinted: str
    body: bytes
    mimetype: str
    etag: str


def _asset(name: str, body: bytes) -> Asset:
    digest = hashlib.sha256(body).hexdigest()
    stem, _, ext = name.rpartition(".")
    mimetype = mimetypes.guess_type(name)[0] or "application/octet-stream"
    if mimetype.startswith("text/") or mimetype in ("application/javascript", "image/svg+xml"):
        mimetype += "; charset=utf-8"
    return Asset(name, f"{stem}.{digest[:12]}.{ext}", body, mimetype, digest[:32])


class Assets:
    def __init__(self):
        sources = {"spplus.css": files("spplus.chassis").joinpath("static/spplus.css")}
        for entry in files("spplus.gateway").joinpath("static").iterdir():
            if entry.is_file() and not entry.name.startswith("."):
                sources.setdefault(entry.name, entry)
        self.by_name: dict[str, tuple[Asset, bool]] = {}
        for name, source in sorted(sources.items()):
            asset = _asset(name, source.read_bytes())
            self.by_name[asset.name] = (asset, False)
            self.by_name[asset.fingerprinted] = (asset, True)

    def url(self, name: str) -> str:
        return PREFIX + self.by_name[name][0].fingerprinted

    def manifest(self) -> dict[str, str]:
        return {name: self.url(name) for name, (_asset, fingerprinted) in self.by_name.items() if not fingerprinted}

    def serve(self, filename: str) -> Response:
        if filename == "manifest.json":
            response = Response(json.dumps(self.manifest(), sort_keys=True), mimetype="application/json")
            response.headers["Cache-Control"] = REVALIDATE
            return response
        found = self.by_name.get(filename)
        if found is None:
            abort(404)
        asset, fingerprinted = found
        response = Response(asset.body, mimetype=asset.mimetype)
        response.set_etag(asset.etag)
        response.headers["Cache-Control"] = IMMUTABLE if fingerprinted else REVALIDATE
        return response.make_conditional(request)

