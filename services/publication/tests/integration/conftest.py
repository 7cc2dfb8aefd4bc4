"""Fixtures of the publication tests: a real service (PostgreSQL + RabbitMQ) and event builders."""
import datetime as dt
import uuid

import pytest

from spplus.publication.bootstrap import spec
from spplus.publication.service_layer import read_model

NOW = dt.datetime(2026, 3, 10, 9, 0, tzinfo=dt.timezone.utc)
DESCRIPTION = ("J'ai demandé un rendez-vous pour mon dossier d'aide au logement. Après trois semaines d'attente, "
               "un conseiller m'a enfin rappelé et a réglé la situation en dix minutes.")


def iso(value: dt.datetime) -> str:
    return value.isoformat()


class Events:
    """Builders of event data exactly as the producers' contracts define them."""

    @staticmethod
    def structure(code="CAF30", name="CAF du Gard", network_code="CAF", network_name="Caisses d'allocations familiales",
                  parent_code=None, updated_at=NOW, active=True):
        return {"code": code, "name": name, "network_code": network_code, "network_name": network_name,
                "parent_code": parent_code, "postal_code": "30000", "city": "Nîmes", "active": active,
                "updated_at": iso(updated_at)}

    @staticmethod
    def published(experience_id=None, title="Enfin une réponse pour mon aide au logement", description=DESCRIPTION,
                  structures=("CAF30",), feeling="positive", published_at=NOW, pseudonym="Camille30"):
        return {"experience_id": experience_id or str(uuid.uuid4()), "title": title, "description": description,
                "feeling": feeling, "experienced_on": "2026-02",
                "path": [{"structure_code": code, "structure_name": None,
                          "channels": [{"channel": "phone", "feeling": "negative"},
                                       {"channel": "counter", "feeling": "positive"}]} for code in structures],
                "pseudonym": pseudonym, "submitted_at": iso(published_at - dt.timedelta(days=2)),
                "published_at": iso(published_at), "edited": False}

    @staticmethod
    def response(experience_id, response_id=None, version=1, body="Nous avons renforcé l'accueil téléphonique.",
                 structure_code="CAF30", published_at=NOW + dt.timedelta(hours=5), actions=None):
        return {"response_id": response_id or str(uuid.uuid4()), "experience_id": experience_id,
                "structure_code": structure_code, "structure_name": "CAF du Gard", "greeting": "Bonjour,",
                "body": body, "signature": "Le service relation usagers de la CAF du Gard", "status": "published",
                "actions": actions if actions is not None else [
                    {"kind": "made", "description": "Rappel sous 48 heures de toute demande de rendez-vous."}],
                "tags": ["rendez-vous"], "general_tags": {"reactivite": "positive"},
                "published_at": iso(published_at), "updated_at": iso(published_at + dt.timedelta(minutes=version)),
                "version": version}

    @staticmethod
    def withdrawn(experience_id, withdrawn_at=NOW + dt.timedelta(days=1)):
        return {"experience_id": experience_id, "reason": "Donnée personnelle oubliée", "withdrawn_at": iso(withdrawn_at)}

    @staticmethod
    def reassigned(experience_id, from_code="CAF30", to_code="CAF30-NIMES", at=NOW + dt.timedelta(hours=1)):
        return {"experience_id": experience_id, "from_structure_code": from_code, "to_structure_code": to_code,
                "to_structure_name": "CAF du Gard – accueil de Nîmes", "by": "responses", "reassigned_at": iso(at)}


@pytest.fixture
def events():
    return Events


@pytest.fixture
def publication(make_harness):
    return make_harness(spec)


@pytest.fixture
def feed(publication):
    """``feed(("experience.published", data), ...)``: publish through the broker, then consume them all."""

    def send(*items):
        for event_type, data in items:
            publication.publish(event_type, data)
        publication.consume()

    return send


@pytest.fixture
def seed(publication):
    """Write straight through the use cases (same code the handlers run), for tests about reading."""

    def write(*experiences, responses=(), structures=()):
        from spplus.chassis.referential import replica_handlers
        from spplus.chassis.events import new_event
        from spplus.publication.adapters.orm import structures as table

        upsert = replica_handlers(table)["structure.upserted"]
        with publication.database.unit_of_work() as session:
            for data in structures:
                upsert(session, new_event("structure.upserted", data, producer="identity"))
            for data in experiences:
                read_model.publish_experience(session, data)
            for data in responses:
                read_model.upsert_response(session, data)

    return write
