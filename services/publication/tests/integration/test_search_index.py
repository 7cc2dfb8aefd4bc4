"""The search index beside the API: kept in step with PostgreSQL whatever the order transactions
commit in, never trusted while it lags, rebuilt per database, kept by one process per folder."""
import datetime as dt
import json
import time

import pytest
from sqlalchemy import text
from werkzeug.test import Client

from spplus.chassis.fastroute import FastRoute
from spplus.chassis.testing import json_body
from spplus.publication.adapters import search as search_module
from spplus.publication.adapters.search_index import Indexer, IndexerThread, SearchIndex, instance_folder
from spplus.publication.domain.search import SearchCriteria
from spplus.publication.entrypoints import schemas
from spplus.publication.service_layer import queries, read_model

NOW = dt.datetime(2026, 3, 10, 9, 0, tzinfo=dt.timezone.utc)


def folder_of(harness):
    with harness.database.engine.connect() as connection:
        return instance_folder(harness.app.extensions["publication_search_index"].root, connection)


def listing(harness, query=""):
    response = harness.client.get(f"/api/v1/experiences?{query}")
    assert response.status_code == 200, response.get_data(as_text=True)
    return json_body(response)


def ids(harness, query=""):
    return [item["id"] for item in listing(harness, query)["items"]]


@pytest.fixture
def database_searches(monkeypatch):
    """Counts the searches PostgreSQL answered itself (the index was missing or behind)."""
    calls = []
    original = search_module.PostgresExperienceRepository.search

    def counted(repository, criteria):
        calls.append(criteria)
        return original(repository, criteria)

    monkeypatch.setattr(search_module.PostgresExperienceRepository, "search", counted)
    return calls


def test_a_story_published_after_the_last_update_is_found_at_once(publication, seed, events, database_searches):
    first = events.published(title="Aide au logement", published_at=NOW - dt.timedelta(days=1))
    seed(first)
    indexer = Indexer(publication.database, folder_of(publication))
    assert indexer.sync_once() == 1
    assert ids(publication, "q=logement") == [first["experience_id"]] and database_searches == []
    second = events.published(title="Logement social enfin attribué")
    seed(second)
    # The index lags: PostgreSQL answers, with the new story.
    assert ids(publication, "q=logement") == [second["experience_id"], first["experience_id"]]
    assert len(database_searches) == 1
    assert indexer.sync_once() == 1
    assert ids(publication, "q=logement") == [second["experience_id"], first["experience_id"]]
    assert len(database_searches) == 1
    with publication.database.unit_of_work() as session:
        read_model.withdraw_experience(session, events.withdrawn(first["experience_id"]))
    assert ids(publication, "q=logement") == [second["experience_id"]]
    assert indexer.sync_once() == 1
    assert ids(publication, "q=logement") == [second["experience_id"]] and len(database_searches) == 2
    assert listing(publication, "q=logement")["total"] == 1
    indexer.close()


def test_transactions_committing_out_of_order_are_all_indexed(publication, seed, events, database_searches):
    seed(events.published(title="Premier témoignage"))
    indexer = Indexer(publication.database, folder_of(publication))
    indexer.sync_once()
    slow, quick = events.published(title="Passeport lent"), events.published(title="Passeport rapide")
    session = publication.database.session()  # started first, committed last
    read_model.publish_experience(session, slow)
    session.flush()
    seed(quick)
    assert indexer.sync_once() == 1  # only what is committed
    session.commit()
    session.close()
    assert indexer.sync_once() == 1  # the late commit is not lost behind the newer one
    assert sorted(ids(publication, "q=passeport")) == sorted([slow["experience_id"], quick["experience_id"]])
    assert database_searches == []
    indexer.close()


def test_the_index_resumes_after_a_restart_and_belongs_to_one_database(publication, make_harness, seed, events):
    from spplus.publication.bootstrap import spec

    seed(events.published(title="Carte grise reçue"))
    folder = folder_of(publication)
    first = Indexer(publication.database, folder)
    assert first.sync_once() == 1
    first.close()
    del first
    seed(events.published(title="Carte grise perdue"))
    again = Indexer(publication.database, folder)
    assert again.sync_once() == 1  # only what changed since the recorded snapshot
    assert len(ids(publication, "q=carte+grise")) == 2
    again.close()
    other = make_harness(spec)
    assert folder_of(other) != folder and folder_of(other).parent == folder.parent


def test_similar_votes_reorder_the_index_without_making_it_stale(publication, seed, events, database_searches):
    older = events.published(published_at=NOW - dt.timedelta(days=2))
    newer = events.published()
    seed(older, newer)
    indexer = Indexer(publication.database, folder_of(publication))
    indexer.sync_once()
    assert publication.client.post(f"/api/v1/experiences/{older['experience_id']}/similar").status_code == 200
    # Still served by the index (a vote changes no filter), in the order it last knew...
    assert len(ids(publication, "sort=similar")) == 2
    assert database_searches == []
    assert indexer.sync_once() == 1
    # ... and in the new order once it caught up.
    assert ids(publication, "sort=similar") == [older["experience_id"], newer["experience_id"]]
    assert listing(publication, "sort=similar")["items"][0]["similar_count"] == 1
    assert database_searches == []
    indexer.close()


def test_words_phrases_exclusions_and_or_like_websearch(publication, seed, events, database_searches):
    housing = events.published(title="Aide au logement", description="Le dossier a été réglé par téléphone. " * 4)
    passport = events.published(title="Passeport", description="Un rendez-vous en préfecture, enfin. " * 4,
                                published_at=NOW - dt.timedelta(days=1))
    seed(housing, passport)
    indexer = Indexer(publication.database, folder_of(publication))
    indexer.sync_once()
    h, p = housing["experience_id"], passport["experience_id"]
    assert ids(publication, "q=logement+or+passeport") == [h, p]
    assert ids(publication, "q=-logement") == []  # exclusions alone match nothing, as in PostgreSQL
    assert ids(publication, "q=enfin+-logement") == [p]
    assert ids(publication, "q=%22rendez-vous+en+pr%C3%A9fecture%22") == [p]
    assert ids(publication, "q=%22pr%C3%A9fecture+rendez-vous%22") == []
    assert ids(publication, "q=le+la+les") == []  # stop words only
    assert ids(publication, "q=TELEPHONE") == [h]
    assert database_searches == []
    indexer.close()


def test_totals_of_lists_filtered_on_feeling_or_answers_come_from_the_index(publication, seed, events,
                                                                            database_searches):
    stories = [events.published(feeling="negative", published_at=NOW - dt.timedelta(hours=hour)) for hour in range(5)]
    stories.append(events.published(feeling="positive"))
    seed(*stories, responses=[events.response(stories[0]["experience_id"])])
    indexer = Indexer(publication.database, folder_of(publication))
    indexer.sync_once()
    page = listing(publication, "feeling=negative&per_page=2&page=2")
    assert page["total"] == 5 and [item["id"] for item in page["items"]] == [
        stories[2]["experience_id"], stories[3]["experience_id"]]
    assert listing(publication, "answered=true")["total"] == 1
    assert listing(publication, "answered=false&feeling=negative")["total"] == 4
    assert listing(publication)["total"] == 6
    assert database_searches == []
    indexer.close()


def test_one_process_per_folder_keeps_the_index(publication, seed, events, database_searches):
    seed(events.published(title="Retraite versée"))
    root = publication.app.extensions["publication_search_index"].root
    keeper, waiting = IndexerThread(publication.database, root, 0.05), IndexerThread(publication.database, root, 0.05)
    keeper.start()
    state = folder_of(publication) / "state.json"
    deadline = time.monotonic() + 30
    while not state.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    waiting.start()
    seed(events.published(title="Retraite enfin versée"))
    deadline = time.monotonic() + 30
    while len(ids(publication, "q=retraite")) != 2 or database_searches:
        database_searches.clear()
        assert time.monotonic() < deadline, "the index did not catch up"
        time.sleep(0.05)
    assert json.loads(state.read_text())["counts"]["|"] == 2
    keeper.stop()
    waiting.stop()
    assert not keeper.is_alive() and not waiting.is_alive()


def test_the_list_is_written_in_the_documented_shape(publication, seed, events):
    story = events.published()
    seed(story, responses=[events.response(story["experience_id"])])
    body = listing(publication, "per_page=5")
    with publication.database.reading() as session:
        page, items = queries.search(session, SearchCriteria(per_page=5))
    documented = schemas.ExperiencePageSchema().dump(
        {"items": items, "total": page.total, "total_capped": page.total_capped, "page": 1, "per_page": 5})
    assert body == json.loads(json.dumps(documented))


def test_the_list_answered_in_front_of_flask_is_the_view_s_answer(publication, seed, events):
    story = events.published()
    seed(story, responses=[events.response(story["experience_id"])])
    fast = publication.app.wsgi_app
    assert isinstance(fast, FastRoute)
    flask_only = Client(fast.next)  # the Flask application behind the fast route
    for query in ("", "per_page=5&q=logement", "feeling=positive&answered=true&sort=similar",
                  "network=CAF&from=2026-01-01&to=2026-12-31&page=1"):
        body = fast.handler(query)
        assert body is not None, query
        assert body == flask_only.get(f"/api/v1/experiences?{query}").get_data(), query
        assert publication.client.get(f"/api/v1/experiences?{query}").get_data() == body
    # Invalid arguments are left to the view, which answers the documented French 422.
    assert fast.handler("feeling=furieux") is None
    assert publication.client.get("/api/v1/experiences?feeling=furieux").status_code == 422


def test_answers_are_kept_while_the_index_contents_stay_the_same(publication, seed, events, monkeypatch):
    first = events.published(title="Aide au logement", published_at=NOW - dt.timedelta(days=1))
    seed(first)
    indexer = Indexer(publication.database, folder_of(publication))
    indexer.sync_once()
    asked = []
    original = SearchIndex.query
    # Every search of "logement" the index itself had to answer (not those of the indexer's counts).
    monkeypatch.setattr(SearchIndex, "query", staticmethod(lambda criteria, sets: (criteria.q and asked.append(criteria))
                                                           or original(criteria, sets)))
    for _ in range(3):
        assert ids(publication, "q=logement") == [first["experience_id"]]
    assert len(asked) == 1
    # Another transaction moves the snapshot on: the index's contents, and the answers, stay.
    state = json.loads((folder_of(publication) / "state.json").read_text())
    with publication.database.engine.begin() as connection:
        connection.execute(text("SELECT pg_current_xact_id()"))
    assert indexer.sync_once() == 0
    moved = json.loads((folder_of(publication) / "state.json").read_text())
    assert moved["snapshot"] != state["snapshot"] and moved["generation"] == state["generation"]
    assert ids(publication, "q=logement") == [first["experience_id"]] and len(asked) == 1
    # A story changes: a new generation, answered afresh.
    second = events.published(title="Logement social enfin attribué")
    seed(second)
    assert indexer.sync_once() == 1
    assert ids(publication, "q=logement") == [second["experience_id"], first["experience_id"]]
    assert len(asked) == 2
    indexer.close()
