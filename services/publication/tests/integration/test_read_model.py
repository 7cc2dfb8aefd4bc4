"""The read model follows the events, whatever their order, each one applied once."""
from spplus.chassis.testing import json_body


def detail(publication, experience_id):
    return publication.client.get(f"/api/v1/experiences/{experience_id}")


def test_published_story_is_shown_with_its_structure_names(publication, feed, events):
    story = events.published()
    feed(("experience.published", story), ("structure.upserted", events.structure()))
    body = json_body(detail(publication, story["experience_id"]))
    assert body["title"] == story["title"] and body["pseudonym"] == "Camille30"
    assert body["path"][0]["structure_name"] == "CAF du Gard"
    assert body["path"][0]["network_name"] == "Caisses d'allocations familiales"
    assert [use["channel_label"] for use in body["path"][0]["channels"]] == ["Téléphone", "Guichet"]
    assert body["responses"] == [] and body["similar_count"] == 0 and body["answered"] is False
    assert not {"email", "postal_code", "city", "ip", "ip_hash"} & set(body)


def test_redelivered_events_change_nothing(publication, events):
    story = events.published()
    event = publication.publish("experience.published", story)
    answer = publication.publish("response.published", events.response(story["experience_id"]))
    publication.publish("experience.published", {}, event=event)
    publication.publish("response.published", {}, event=answer)
    assert publication.consume() == 4
    listing = json_body(publication.client.get("/api/v1/experiences"))
    assert listing["total"] == 1
    assert len(json_body(detail(publication, story["experience_id"]))["responses"]) == 1


def test_answer_arriving_before_its_story_is_kept_and_shown(publication, feed, events):
    story = events.published()
    feed(("response.published", events.response(story["experience_id"])))
    assert detail(publication, story["experience_id"]).status_code == 404
    feed(("experience.published", story))
    body = json_body(detail(publication, story["experience_id"]))
    assert body["answered"] is True and body["response_count"] == 1
    assert body["responses"][0]["actions"][0]["kind_label"] == "Action réalisée"
    assert body["first_response_at"].startswith("2026-03-10T14:00")


def test_older_answer_version_never_overwrites_a_newer_one(publication, feed, events):
    story = events.published()
    newer = events.response(story["experience_id"], version=3, body="Version corrigée")
    older = events.response(story["experience_id"], response_id=newer["response_id"], version=2, body="Ancienne")
    feed(("experience.published", story), ("response.updated", newer), ("response.published", older))
    [answer] = json_body(detail(publication, story["experience_id"]))["responses"]
    assert answer["body"] == "Version corrigée"


def test_withdrawal_hides_the_story_everywhere(publication, feed, events):
    story = events.published()
    feed(("experience.published", story))
    assert json_body(publication.client.get("/api/v1/experiences?q=logement"))["total"] == 1
    feed(("experience.withdrawn", events.withdrawn(story["experience_id"])))
    assert detail(publication, story["experience_id"]).status_code == 404
    assert json_body(publication.client.get("/api/v1/experiences?q=logement"))["total"] == 0
    assert story["experience_id"] not in publication.client.get("/api/v1/opendata/experiences.csv").get_data(as_text=True)
    assert publication.client.get(f"/experiences/{story['experience_id']}").status_code == 404


def test_withdrawal_arriving_before_the_publication_wins(publication, feed, events):
    story = events.published()
    feed(("experience.withdrawn", events.withdrawn(story["experience_id"])), ("experience.published", story))
    assert detail(publication, story["experience_id"]).status_code == 404
    assert json_body(publication.client.get("/api/v1/experiences"))["total"] == 0


def test_reassignment_moves_the_story_to_the_new_structure_in_any_order(publication, feed, events):
    first, second = events.published(), events.published()
    feed(("structure.upserted", events.structure()),
         ("structure.upserted", events.structure(code="CAF30-NIMES", name="Accueil de Nîmes", parent_code="CAF30")),
         ("experience.published", first), ("experience.reassigned", events.reassigned(first["experience_id"])),
         ("experience.reassigned", events.reassigned(second["experience_id"])), ("experience.published", second))
    for story in (first, second):
        body = json_body(detail(publication, story["experience_id"]))
        assert [step["structure_code"] for step in body["path"]] == ["CAF30-NIMES"]
        assert body["path"][0]["structure_name"] == "CAF du Gard – accueil de Nîmes"
    assert json_body(publication.client.get("/api/v1/experiences?structure=CAF30-NIMES"))["total"] == 2
    # A parent structure's filter covers its children.
    assert json_body(publication.client.get("/api/v1/experiences?structure=CAF30"))["total"] == 2
