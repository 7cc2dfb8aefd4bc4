"""Signed links of the author approval page: ``/proposition/<token>``.

The token signs the proposal id with ``SPPLUS_SECRET_KEY``; it works once because the proposal
it names leaves the ``open`` status at the first answer, and it expires with the proposal's
deadline, which the database keeps.
"""
from __future__ import annotations

from itsdangerous import BadSignature, URLSafeSerializer

SALT = "spplus.moderation.proposal"


class ProposalTokens:
    def __init__(self, secret: str):
        self._serializer = URLSafeSerializer(secret, salt=SALT)

    def make(self, proposal_id: str) -> str:
        return self._serializer.dumps({"p": proposal_id})

    def read(self, token: str) -> str | None:
        if not token or len(token) > 500:
            return None
        try:
            payload = self._serializer.loads(token)
        except BadSignature:
            return None
        return payload.get("p") if isinstance(payload, dict) and isinstance(payload.get("p"), str) else None

    def path(self, proposal_id: str) -> str:
        return f"/proposition/{self.make(proposal_id)}"
