"""Every link in a mail is absolute, built on the platform's public address."""
from __future__ import annotations

from urllib.parse import urlsplit


class InvalidLink(ValueError):
    pass


def absolute_url(public_base_url: str, path_or_url: str) -> str:
    """``("https://sp.example", "/suivi/abc")`` → ``https://sp.example/suivi/abc``.

    A full URL is accepted only on the platform's own host, so an event can never make a
    mail point somewhere else.
    """
    base = public_base_url.rstrip("/")
    parts = urlsplit(path_or_url)
    if parts.scheme or parts.netloc:
        own = urlsplit(base)
        if (parts.scheme, parts.netloc) != (own.scheme, own.netloc):
            raise InvalidLink("lien hors de la plateforme")
        return path_or_url
    if not path_or_url.startswith("/") or path_or_url.startswith("//"):
        raise InvalidLink("chemin de lien invalide")
    return base + path_or_url
