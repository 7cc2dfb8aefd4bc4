"""Search and filters, answered both ways a PostgreSQL deployment answers them: by the search
index beside the API (brought up to date before each call, and the database's own search
made to fail so it cannot answer instead) and by PostgreSQL's full text search (French
stemming, no accents), which answers while the index lags."""
import datetime as dt

import pytest

from spplus.chassis.testing import json_body

NOW = dt.datetime(2026, 3, 10, 9, 0, tzinfo=dt.timezone.utc)


def ids(publication, query):
    response = publication.client.get(f"/api/v1/experiences?{query}")
    assert response.status_code == 200, response.get_data(as_text=True)
    return [item["id"] for item in json_body(response)["items"]]


@pytest.fixture(params=["index", "database"])
def find(request, publication, monkeypatch):
    """``find(publication, query)`` → ids, from the index or from the database."""
    if request.param == "database":
        yield ids
        return
    from spplus.publication.adapters import search as search_module
    from spplus.publication.adapters.search_index import Indexer, instance_folder

    with publication.database.engine.connect() as connection:
        folder = instance_folder(publication.app.extensions["publication_search_index"].root, connection)
    indexer = Indexer(publication.database, folder)

    def database_search(_repository, criteria):
        pytest.fail(f"the database answered instead of the index: {criteria}")

    monkeypatch.setattr(search_module.PostgresExperienceRepository, "search", database_search)

    def from_index(harness, query):
        indexer.sync_once()
        return ids(harness, query)

    yield from_index
    indexer.close()


def test_full_text_is_french_stemmed_and_ignores_accents_and_case(publication, seed, events, find):
    ids = find
    housing = events.published(title="Aide au logement accordée",
                               description="Les réponses de la caisse étaient claires. " * 4)
    passport = events.published(title="Passeport en préfecture",
                                description="Délais très longs pour un rendez-vous en préfecture. " * 3)
    seed(housing, passport)
    housing_id, passport_id = housing["experience_id"], passport["experience_id"]
    assert ids(publication, "q=LOGEMENTS") == [housing_id]          # case and plural
    assert ids(publication, "q=reponse") == [housing_id]            # accent and singular
    assert ids(publication, "q=prefectures+delai") == [passport_id]  # every word must match
    assert ids(publication, "q=logement+prefecture") == []
    assert ids(publication, "q=%22rendez-vous+en+pr%C3%A9fecture%22") == [passport_id]
    assert ids(publication, "q=%28%29%27%3A%2A%21") == []  # tsquery syntax is never an error
    newer = events.published(title="Question de calendrier", published_at=NOW + dt.timedelta(days=1),
                             description="Une remarque sur mon logement, puis bien d'autres sujets. " + "Sans rapport. " * 8)
    seed(newer)
    assert ids(publication, "q=logement") == [newer["experience_id"], housing_id]
    # In the title (weight A) beats in the text only, whatever the date.
    assert ids(publication, "q=logement&sort=relevance") == [housing_id, newer["experience_id"]]


def test_filters_sort_and_pagination(publication, seed, events, find):
    ids = find
    structures = [events.structure(), events.structure(code="CPAM75", name="CPAM de Paris", network_code="CPAM",
                                                       network_name="Assurance maladie")]
    old = events.published(structures=("CPAM75",), feeling="negative", published_at=NOW - dt.timedelta(days=30))
    middle = events.published(feeling="neutral", published_at=NOW - dt.timedelta(days=10))
    new = events.published(feeling="positive", published_at=NOW)
    seed(old, middle, new, structures=structures, responses=[events.response(middle["experience_id"])])
    o, m, n = old["experience_id"], middle["experience_id"], new["experience_id"]
    assert ids(publication, "") == [n, m, o]
    assert ids(publication, "network=CPAM") == [o]
    assert ids(publication, "structure=CAF30") == [n, m]
    assert ids(publication, "feeling=negative") == [o]
    assert ids(publication, "answered=true") == [m]
    assert ids(publication, "answered=false") == [n, o]
    assert ids(publication, "from=2026-02-20&to=2026-03-01") == [m]
    assert ids(publication, "to=2026-02-08") == [o]
    ids(publication, "")
    listing = json_body(publication.client.get("/api/v1/experiences?per_page=2&page=2"))
    assert [item["id"] for item in listing["items"]] == [o] and listing["total"] == 3
    assert listing["total_capped"] is False
    for _ in range(2):
        publication.client.post(f"/api/v1/experiences/{o}/similar")
    publication.client.post(f"/api/v1/experiences/{m}/similar")
    assert ids(publication, "sort=similar") == [o, m, n]
    assert ids(publication, "sort=relevance&q=logement")[0] in (n, m, o)


def test_bad_search_parameters_get_french_messages(publication):
    response = publication.client.get("/api/v1/experiences?sort=hasard&feeling=furieux&from=2026-13-01&page=0")
    assert response.status_code == 422
    errors = json_body(response)["errors"]["query"]
    assert set(errors) == {"sort", "feeling", "from", "page"}
    assert "Doit être l'une des valeurs" in errors["sort"][0] or "valeur" in errors["sort"][0].lower()
    response = publication.client.get("/api/v1/experiences?from=2026-03-10&to=2026-03-01")
    assert response.status_code == 422
    assert json_body(response)["errors"]["query"]["to"] == ["La date de début doit précéder la date de fin."]
    page = publication.client.get("/experiences?from=demain")
    assert page.status_code == 422
    html = page.get_data(as_text=True)
    assert 'href="#champ-from"' in html and 'aria-invalid="true"' in html and 'id="erreur-from"' in html


def test_local_sqlite_default_uses_fts5_with_the_same_behaviour(make_harness, tmp_path, events):
    from spplus.publication.bootstrap import spec
    from spplus.publication.service_layer import read_model

    harness = make_harness(spec, PUBLICATION_DATABASE_URL=f"sqlite:///{tmp_path / 'publication.db'}")
    housing = events.published(title="Aide au logement accordée",
                               description="Les réponses de la caisse étaient claires. " * 4)
    passport = events.published(title="Passeport en préfecture", published_at=NOW - dt.timedelta(days=1),
                                description="Délais très longs pour un rendez-vous en préfecture. " * 3)
    with harness.database.unit_of_work() as session:
        read_model.publish_experience(session, housing)
        read_model.publish_experience(session, passport)
    assert ids(harness, "q=LOGEMENTS") == [housing["experience_id"]]
    assert ids(harness, "q=reponse") == [housing["experience_id"]]
    assert ids(harness, "q=prefectures+delai") == [passport["experience_id"]]
    assert ids(harness, "q=%22%28*") == []
    assert ids(harness, "q=caisse&sort=relevance") == [housing["experience_id"]]
    with harness.database.unit_of_work() as session:
        read_model.withdraw_experience(session, events.withdrawn(housing["experience_id"]))
    assert ids(harness, "q=logement") == []
    assert ids(harness, "") == [passport["experience_id"]]
