import datetime as dt

import pytest

from spplus.submission.bootstrap import spec

STRUCTURES = [
    {"code": "CAF75", "name": "Caisse d'allocations familiales de Paris", "network_code": "CAF",
     "network_name": "Caisse d'allocations familiales", "postal_code": "75019", "city": "Paris", "active": True},
    {"code": "CPAM94", "name": "CPAM du Val-de-Marne", "network_code": "CPAM",
     "network_name": "Assurance maladie", "postal_code": "94000", "city": "Créteil", "active": True},
    {"code": "FT-ORLEANS", "name": "France Travail Orléans Nord", "network_code": "FT",
     "network_name": "France Travail", "postal_code": "45000", "city": "Orléans", "active": True},
    {"code": "SIP-OLD", "name": "Service des impôts fermé", "network_code": "DGFIP",
     "network_name": "Finances publiques", "postal_code": "69001", "city": "Lyon", "active": False},
]

DESCRIPTION = ("J'ai appelé la caisse pour un changement de situation et j'ai obtenu un rendez-vous en "
               "trois jours. L'agent a pris le temps de tout m'expliquer, merci.")


def structure_event(**overrides) -> dict:
    base = {"parent_code": None, "updated_at": dt.datetime.now(dt.timezone.utc).isoformat()}
    return {**base, **overrides}


@pytest.fixture
def make_service(make_harness):
    """A migrated submission service whose replica knows the test structures."""

    def make(**env):
        harness = make_harness(spec, **env)
        for structure in STRUCTURES:
            harness.publish("structure.upserted", structure_event(**structure), producer="identity")
        assert harness.consume(max_messages=len(STRUCTURES), idle_seconds=5) == len(STRUCTURES)
        # The spy saw the seeding too: start the test with only what the service publishes.
        assert len(harness.spy.collect(len(STRUCTURES))) == len(STRUCTURES)
        harness.spy.events.clear()
        return harness

    return make


@pytest.fixture
def service(make_service):
    return make_service()


@pytest.fixture
def payload():
    def make(**overrides) -> dict:
        body = {"title": "Un rendez-vous rapide", "description": DESCRIPTION, "feeling": "positive",
                "experienced_on": "2026-01",
                "path": [{"structure": "CAF75", "channels": [{"channel": "telephone", "feeling": "positive"}]}],
                "email": "Camille@Example.FR", "postal_code": "75019", "city": None, "pseudonym": "Camille",
                "accept_terms": True}
        body.update(overrides)
        return body

    return make
