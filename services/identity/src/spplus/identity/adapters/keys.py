"""The Ed25519 key that signs tokens, and the JWKS other services verify them with.

From ``IDENTITY_JWT_PRIVATE_KEY`` (PEM) when set; otherwise generated once and kept under the
var folder, so a local run keeps its sessions across restarts.
"""
from __future__ import annotations

import base64
import hashlib
import os
import tempfile
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from jwt.algorithms import OKPAlgorithm

from spplus.chassis.settings import var_dir

KEY_FILE = "identity_jwt_ed25519.pem"


class SigningKey:
    def __init__(self, private_key: Ed25519PrivateKey):
        self.private_key = private_key
        self.public_key = private_key.public_key()
        raw = self.public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        self.key_id = base64.urlsafe_b64encode(hashlib.sha256(raw).digest()[:12]).decode().rstrip("=")

    @property
    def public_pem(self) -> str:
        return self.public_key.public_bytes(serialization.Encoding.PEM,
                                            serialization.PublicFormat.SubjectPublicKeyInfo).decode()

    def jwks(self) -> dict:
        jwk = OKPAlgorithm.to_jwk(self.public_key, as_dict=True)
        return {"keys": [{**jwk, "kid": self.key_id, "use": "sig", "alg": "EdDSA"}]}


def _from_pem(pem: str) -> Ed25519PrivateKey:
    key = serialization.load_pem_private_key(pem.encode(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError("IDENTITY_JWT_PRIVATE_KEY must be an Ed25519 private key (PEM)")
    return key


def _stored_key(path: Path) -> Ed25519PrivateKey:
    if not path.exists():
        pem = Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".key-")
        try:
            os.write(fd, pem)
            os.close(fd)
            os.chmod(temporary, 0o600)
            try:
                os.link(temporary, path)  # atomic: the first process to get there wins, others read it
            except FileExistsError:
                pass
        finally:
            os.unlink(temporary)
    return _from_pem(path.read_text())


def load_signing_key(pem: str | None) -> SigningKey:
    return SigningKey(_from_pem(pem) if pem else _stored_key(var_dir() / KEY_FILE))
