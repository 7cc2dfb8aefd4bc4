"""Keyed hashes: the author's IP, the duplicate fingerprint and the private tracking token.

All are HMAC-SHA256 with secrets from the settings, so none can be recomputed from a leaked
database alone; the tracking token is derived from the story id, so only its digest is stored.
"""
from __future__ import annotations

import base64
import hashlib
import hmac


class Keys:
    def __init__(self, secret_key: str, ip_hash_key: str = ""):
        self._secret = secret_key.encode()
        self._ip_key = (ip_hash_key or self._derive("submission-ip-hash")).encode()

    def _derive(self, purpose: str) -> str:
        return hmac.new(self._secret, purpose.encode(), hashlib.sha256).hexdigest()

    def ip_hash(self, address: str) -> str:
        return hmac.new(self._ip_key, address.encode(), hashlib.sha256).hexdigest()

    def fingerprint(self, email: str, description: str) -> str:
        message = f"fingerprint\x00{email.casefold()}\x00{description}".encode()
        return hmac.new(self._secret, message, hashlib.sha256).hexdigest()

    def tracking_token(self, experience_id: str) -> str:
        raw = hmac.new(self._secret, f"tracking\x00{experience_id}".encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
