"""Password hashing with argon2id (argon2-cffi's defaults follow RFC 9106)."""
from __future__ import annotations

import functools
import os

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError

DEFAULT_PROFILE = "RFC_9106_LOW_MEMORY"


@functools.lru_cache(maxsize=4)
def _hasher_for(profile: str) -> PasswordHasher:
    return PasswordHasher.from_parameters(getattr(profiles, profile))


def _current() -> PasswordHasher:
    # IDENTITY_ARGON2_PROFILE: an argon2-cffi profile name; tests use CHEAPEST to stay fast.
    return _hasher_for(os.environ.get("IDENTITY_ARGON2_PROFILE", DEFAULT_PROFILE).upper())


def hash_password(password: str) -> str:
    return _current().hash(password)


@functools.lru_cache(maxsize=4)
def _dummy_hash(profile: str) -> str:
    return _hasher_for(profile).hash("no account has this password, it only costs the same time")


def verify_password(password_hash: str | None, password: str) -> bool:
    """Constant work whether or not the account exists, so timing tells nothing."""
    try:
        hasher = _current()
        dummy = _dummy_hash(os.environ.get("IDENTITY_ARGON2_PROFILE", DEFAULT_PROFILE).upper())
        return hasher.verify(password_hash or dummy, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _current().check_needs_rehash(password_hash)
