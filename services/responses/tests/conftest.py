"""A real responses service (PostgreSQL + RabbitMQ) with a small structures tree:

    CAF (network)                      DGFIP (network)
      CAF30  CAF du Gard                 SIP69  SIP de Lyon
        CAF30-NIM  Accueil de Nîmes
          CAF30-NIM-1  Guichet 1
        CAF30-ALE  Accueil d'Alès
      CAF34  CAF de l'Hérault
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import time
import uuid

import pytest
from spplus.chassis.db import Database
from spplus.chassis.events import new_event
from spplus.responses.adapters.tables import items
from spplus.responses.bootstrap import spec
from sqlalchemy import select

STRUCTURES = [
    ("CAF30", "CAF du Gard", "CAF", None),
    ("CAF30-NIM", "Accueil de Nîmes", "CAF", "CAF30"),
    ("CAF30-NIM-1", "Guichet 1 de Nîmes", "CAF", "CAF30-NIM"),
    ("CAF30-ALE", "Accueil d'Alès", "CAF", "CAF30"),
    ("CAF34", "CAF de l'Hérault", "CAF", None),
    ("SIP69", "Service des impôts des particuliers de Lyon", "DGFIP", None),
]
NETWORKS = {"CAF": "Caisses d'allocations familiales", "DGFIP": "Finances publiques"}
# Nobody answers on port 9: the moderation check "could not run" unless a test gives a live server.
DEAD_MODERATION = "http://127.0.0.1:9"


def structure_event(code, name, network, parent, when="2026-01-01T00:00:00+00:00", active=True):
    return {"code": code, "name": name, "network_code": network, "network_name": NETWORKS[network],
            "parent_code": parent, "postal_code": None, "city": None, "active": active, "updated_at": when}


def experience_event(codes, experience_id=None, published_at=None, title="Attente au guichet"):
    published_at = published_at or dt.datetime.now(dt.timezone.utc)
    return {
        "experience_id": experience_id or str(uuid.uuid4()), "title": title,
        "description": "J'ai attendu deux heures au guichet pour une simple attestation de paiement. " * 2,
        "feeling": "negative", "experienced_on": "2026-10", "pseudonym": "Camille",
        "path": [{"structure_code": code, "structure_name": None,
                  "channels": [{"channel": "accueil", "feeling": "negative"}]} for code in codes],
        "submitted_at": (published_at - dt.timedelta(days=1)).isoformat(),
        "published_at": published_at.isoformat(), "edited": False,
    }


class Responses:
    """The harness plus the helpers every test of this service uses (tests import nothing from here:
    with pytest's importlib mode, helpers travel on this fixture)."""

    experience_event = staticmethod(experience_event)
    structure_event = staticmethod(structure_event)

    def __init__(self, harness, keys):
        self.harness, self.keys = harness, keys

    def __getattr__(self, name):
        return getattr(self.harness, name)

    def given(self, event_type: str, data: dict, producer: str) -> None:
        """Run the service's real handler of an event on the real database, skipping the broker
        round trip: for setting the scene in tests whose subject is not the messaging
        (test_events.py goes through the broker and the consumer)."""
        handler = self.harness.spec.handlers(self.harness.settings, self.harness.database)[event_type]
        with self.harness.database.unit_of_work() as session:
            handler(session, new_event(event_type, data, producer=producer))

    def feed_structures(self):
        for code, name, network, parent in STRUCTURES:
            self.given("structure.upserted", structure_event(code, name, network, parent), producer="identity")

    def publish_experience(self, codes=("CAF30",), via_broker=False, **kwargs) -> str:
        data = experience_event(codes, **kwargs)
        if via_broker:
            self.harness.deliver("experience.published", data, producer="moderation")
        else:
            self.given("experience.published", data, producer="moderation")
        return data["experience_id"]

    def item_id(self, experience_id, code) -> str:
        with self.harness.database.unit_of_work() as session:
            return session.execute(select(items.c.id).where(items.c.experience_id == experience_id,
                                                            items.c.structure_code == code)).scalar_one()

    def headers(self, structures=("CAF30",), roles=("agent",), email="agent@caf30.fr"):
        return self.keys.headers(roles=roles, structures=structures, email=email)

    def get(self, path, **kwargs):
        return self.harness.client.get(path, headers=self.headers(**kwargs))

    @staticmethod
    def answer(**changes) -> dict:
        return {**GOOD_ANSWER, **changes}

    def state(self, item_id) -> str:
        with self.harness.database.unit_of_work() as session:
            return session.execute(select(items.c.state).where(items.c.id == item_id)).scalar_one()

    def items_of(self, experience_id) -> dict[str, str]:
        """{structure code: state} of an experience's items."""
        with self.harness.database.unit_of_work() as session:
            return dict(session.execute(select(items.c.structure_code, items.c.state)
                                        .where(items.c.experience_id == experience_id)).all())

    def sent(self, *types, expected=1, timeout=10.0) -> list:
        """Relay the outbox; the events of these types seen on the broker (the spy also sees
        the events the test itself published, so they are filtered by type)."""
        self.harness.relay()
        deadline = time.monotonic() + timeout
        while True:
            spy = self.harness.spy
            events = [event for event in spy.collect(len(spy.events) + 1, timeout=0.2) if event.type in types]
            if len(events) >= expected or time.monotonic() > deadline:
                return events

    def send(self, method, path, json=None, **kwargs):
        return self.harness.client.open(path, method=method, json=json if json is not None else {},
                                        headers=self.headers(**kwargs))


GOOD_ANSWER = {
    "greeting": "Madame, Monsieur,",
    "body": "Nous vous prions de nous excuser pour cette attente. Un second guichet ouvre le matin.",
    "signature": "Le responsable de l'accueil, CAF du Gard",
    "status": "amelioration_realisee",
    "actions": [{"kind": "made", "description": "Ouverture d'un second guichet le matin."}],
    "tags": ["accueil", "attestation"],
    "general_tags": {"reactivite": "negative", "relation": "neutral"},
}


@pytest.fixture
def bare_app(auth_keys, monkeypatch):
    """The app alone, on a database it never opens: for routes that answer before any query."""
    monkeypatch.setenv("RESPONSES_DATABASE_URL", "sqlite://")
    settings = dataclasses.replace(spec.settings(), auth_public_key=auth_keys.public_pem)
    app = spec.create_app(settings, Database("sqlite://"))
    app.testing = True
    return app


@pytest.fixture
def responses(make_harness, auth_keys):
    harness = make_harness(spec, AUTH_PUBLIC_KEY=auth_keys.public_pem, RESPONSES_MODERATION_URL=DEAD_MODERATION,
                           RESPONSES_MODERATION_TIMEOUT_SECONDS="0.5")
    service = Responses(harness, auth_keys)
    service.feed_structures()
    return service


class _Events:
    """Event data builders for tests that run without the harness."""

    structures = tuple(structure_event(code, name, network, parent) for code, name, network, parent in STRUCTURES)
    experience = staticmethod(experience_event)
    answer = staticmethod(Responses.answer)


@pytest.fixture
def responses_events():
    return _Events()
