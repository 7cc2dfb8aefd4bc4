"""The local default database: migrations and the main use cases also run on SQLite
(text search there is by substring; PostgreSQL uses French full-text search)."""
import datetime as dt

from spplus.chassis.auth import Principal
from spplus.chassis.db import Database
from spplus.chassis.events import new_event
from spplus.chassis.migrations import upgrade
from spplus.responses.adapters.moderation_client import ModerationChecker
from spplus.responses.bootstrap import spec
from spplus.responses.service_layer import answers, queries

AGENT = Principal(subject="a1", email="agent@caf30.fr", roles=frozenset({"agent"}), structures=frozenset({"CAF30"}),
                  token_id="t1")


def test_inbox_answer_and_dashboard_on_sqlite(tmp_path, responses_events):
    url = f"sqlite:///{tmp_path / 'responses.db'}"
    upgrade(spec.migrations, url)
    database = Database(url)
    handlers = spec.handlers(None, database)
    now = dt.datetime.now(dt.timezone.utc)
    with database.unit_of_work() as session:
        for data in responses_events.structures:
            handlers["structure.upserted"](session, new_event("structure.upserted", data, producer="identity"))
        for title, code, days in (("Guichet fermé sans prévenir", "CAF30-NIM", 20), ("Courrier perdu", "CAF34", 1)):
            data = responses_events.experience(
                [code], title=title, published_at=now - dt.timedelta(days=days))
            handlers["experience.published"](session, new_event("experience.published", data, producer="moderation"))

    listed = queries.list_items(database, AGENT, queries.Filters(q="GUICHET fermé"), 15)
    assert [row["title"] for row in listed["items"]] == ["Guichet fermé sans prévenir"]
    assert listed["items"][0]["overdue"] is True
    item_id = listed["items"][0]["id"]
    result = answers.publish(database, item_id, AGENT, responses_events.answer(),
                             ModerationChecker("http://127.0.0.1:9", 0.2, token=None))
    assert result["version"] == 1 and result["check"]["ran"] is False
    figures = queries.dashboard(database, AGENT, None, 15)["total"]
    assert (figures["items"], figures["answered"], figures["actions_made"]) == (1, 1, 1)
    database.dispose()
