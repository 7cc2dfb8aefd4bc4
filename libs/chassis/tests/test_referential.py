"""The structures replica: newest version wins, whatever the delivery order."""
import datetime as dt

from sqlalchemy import create_engine

from spplus.chassis.db import new_metadata
from spplus.chassis.events import new_event
from spplus.chassis.referential import ancestors, descendants, get, replica_handlers, structures_table
from sqlalchemy.orm import Session


def structure(code, name, parent=None, when="2026-01-01T00:00:00+00:00", active=True):
    return new_event("structure.upserted", {
        "code": code, "name": name, "network_code": "CAF", "network_name": "CAF", "parent_code": parent,
        "postal_code": "30000", "city": "Nîmes", "active": active, "updated_at": when}, producer="identity")


def test_replica_keeps_the_newest_version_and_knows_the_tree():
    metadata = new_metadata()
    table = structures_table(metadata)
    engine = create_engine("sqlite://")
    metadata.create_all(engine)
    handlers = replica_handlers(table)
    with Session(engine) as session:
        handlers["structure.upserted"](session, structure("CAF30", "CAF du Gard", when="2026-02-01T00:00:00+00:00"))
        handlers["structure.upserted"](session, structure("CAF30", "Ancien nom", when="2026-01-01T00:00:00+00:00"))
        handlers["structure.upserted"](session, structure("CAF30-NIM", "Accueil de Nîmes", parent="CAF30"))
        handlers["structure.upserted"](session, structure("CAF30-NIM-1", "Guichet 1", parent="CAF30-NIM"))
        assert get(session, table, "CAF30")["name"] == "CAF du Gard"
        assert ancestors(session, table, "CAF30-NIM-1") == ["CAF30-NIM", "CAF30"]
        assert descendants(session, table, {"CAF30"}) == {"CAF30", "CAF30-NIM", "CAF30-NIM-1"}
        retired = new_event("structure.retired", {"code": "CAF30-NIM", "updated_at": dt.datetime(
            2026, 3, 1, tzinfo=dt.timezone.utc).isoformat()}, producer="identity")
        handlers["structure.retired"](session, retired)
        assert get(session, table, "CAF30-NIM")["active"] is False
