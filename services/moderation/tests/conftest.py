import datetime as dt
import time
import uuid

import pytest

from spplus.moderation.bootstrap import spec

STORY = ("Je suis allé à la caisse d'allocations familiales pour déclarer un changement de situation. "
         "L'agent a pris le temps de m'expliquer chaque étape et mon dossier a été traité en dix jours.")


@pytest.fixture(scope="session")
def analysis_ready():
    """Build the language models once per test process, before any broker connection opens
    (a connection left idle that long misses its heartbeats)."""
    from spplus.moderation.adapters.findings import warm_up

    warm_up()


@pytest.fixture
def moderation(analysis_ready, make_harness, auth_keys):
    harness = make_harness(spec, AUTH_PUBLIC_KEY=auth_keys.public_pem)
    harness.consumer  # noqa: B018 - declares the queue before anything is published
    return harness


@pytest.fixture
def submitted():
    """``submitted(**overrides)`` → the data of an ``experience.submitted`` event."""

    def make(**overrides) -> dict:
        data = {
            "experience_id": str(uuid.uuid4()), "title": "Un accueil attentif à la CAF",
            "description": STORY, "feeling": "positive", "experienced_on": "2026-10",
            "path": [{"structure_code": "CAF30", "structure_name": "CAF du Gard",
                      "channels": [{"channel": "counter", "feeling": "positive"}]}],
            "pseudonym": "Camille", "postal_code": "30000", "city": "Nîmes",
            "email": "camille.secret@example.org", "tracking_path": "/suivi/abc",
            "submitted_at": (dt.datetime.now(dt.timezone.utc) - dt.timedelta(hours=3)).isoformat(),
        }
        data.update(overrides)
        return data

    return make


@pytest.fixture
def moderator(auth_keys):
    """``moderator(name)`` → Authorization headers of a moderator."""

    def make(name="Alice Modératrice", subject=None, roles=("moderator",)) -> dict:
        return auth_keys.headers(roles=roles, email=f"{name.split()[0].lower()}@moderation.test",
                                 subject=subject or name, name=name)

    return make


@pytest.fixture
def emitted():
    """``emitted(harness, count)`` → the events moderation published, once ``count`` are seen on the broker
    (``experience.moderation_started``, sent when every case opens, only when asked with ``types``)."""

    def collect(harness, count: int, timeout: float = 10.0, types: tuple[str, ...] | None = None):
        harness.relay()
        deadline = time.monotonic() + timeout
        while True:
            mine = [event for event in harness.spy.events if event.producer == "moderation"
                    and (event.type in types if types else event.type != "experience.moderation_started")]
            if len(mine) >= count or time.monotonic() > deadline:
                return mine
            harness.spy.collect(len(harness.spy.events) + 1, timeout=0.2)

    return collect
