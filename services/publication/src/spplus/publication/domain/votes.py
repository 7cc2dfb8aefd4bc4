"""Vote rules: one vote per browser and item, and a cap per network address."""
from __future__ import annotations

import dataclasses
import hashlib
import hmac

SIMILAR = "similar"
USEFUL = "useful"


@dataclasses.dataclass(frozen=True)
class VoteOutcome:
    counted: bool
    # For "similar": {"similar_count": n}; for "useful": {"useful_yes": n, "useful_no": m}.
    counts: dict


class VoteLimitReached(Exception):
    """Too many votes from one address in the window."""


class NotVotable(Exception):
    """The item does not exist (or is no longer published)."""


def ip_hash(secret: str, address: str) -> str:
    """A keyed hash: the address itself is never stored, and the hash is useless without the secret."""
    return hmac.new(secret.encode(), f"vote:{address}".encode(), hashlib.sha256).hexdigest()


def valid_voter_id(value: str | None) -> bool:
    return bool(value) and 16 <= len(value) <= 64 and all(char.isalnum() or char in "-_" for char in value)
