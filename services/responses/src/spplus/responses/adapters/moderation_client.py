"""The one synchronous call of this service: moderation's assistants read an answer before it is
published (personal data and the like). A warning for the agent, never a block: when moderation
does not answer in time, the answer is published with a note that the check could not run."""
from __future__ import annotations

import logging

import requests

from ..domain.model import CheckResult

log = logging.getLogger(__name__)

UNAVAILABLE = "La vérification automatique n'a pas pu être effectuée (service de modération indisponible)."


class ModerationChecker:
    def __init__(self, base_url: str, timeout: float, token: str | None, request_id: str | None = None):
        self.url = base_url.rstrip("/") + "/api/v1/moderation/analyze"
        self.timeout, self.token, self.request_id = timeout, token, request_id

    def __call__(self, text: str) -> CheckResult:
        headers = {"X-Request-ID": self.request_id} if self.request_id else {}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        try:
            response = requests.post(self.url, json={"text": text}, headers=headers, timeout=self.timeout)
            response.raise_for_status()
            findings = response.json()["findings"]
            if not isinstance(findings, list):
                raise TypeError("findings is not a list")
        except (requests.RequestException, ValueError, KeyError, TypeError) as error:
            log.warning("moderation check unavailable: %s", type(error).__name__)
            return CheckResult(ran=False, findings=[], note=UNAVAILABLE)
        keep = ("kind", "label", "start", "end", "excerpt", "suggestion")
        return CheckResult(ran=True, findings=[{key: finding.get(key) for key in keep}
                                               for finding in findings if isinstance(finding, dict)])
