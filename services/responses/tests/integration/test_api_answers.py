"""Drafting, publishing and updating an answer through the API; the events it sends."""
from spplus.chassis.contracts.responses import ResponsePublishedSchema
from spplus.responses.adapters.tables import response_versions
from sqlalchemy import select


def test_draft_publish_update_keeps_history_and_sends_exactly_the_contract(responses):
    experience_id = responses.publish_experience(["CAF30"])
    item_id = responses.item_id(experience_id, "CAF30")
    base = f"/api/v1/agent/items/{item_id}/response"

    draft = responses.send("PUT", base, {"body": "Premier jet", "greeting": "Bonjour,"})
    assert draft.status_code == 200 and draft.get_json()["state"] == "draft"
    assert responses.state(item_id) == "brouillon"

    published = responses.send("POST", base + "/publish", responses.answer())
    assert published.status_code == 200, published.get_data(as_text=True)
    result = published.get_json()
    assert result["version"] == 1
    # Moderation does not answer in this test: published anyway, with a note.
    assert result["check"]["ran"] is False and "pas pu" in result["check"]["note"]
    assert responses.state(item_id) == "repondu"

    nothing = responses.send("POST", base + "/publish", {})
    assert nothing.status_code == 409 and nothing.get_json()["message"] == "Aucune modification à publier."

    saved = responses.send("PUT", base, {"status": "traitee", "actions": []})
    assert saved.get_json()["state"] == "published"  # the public version stays until republished
    updated = responses.send("POST", base + "/publish", {"body": GOOD_UPDATE})
    assert updated.get_json()["version"] == 2

    [first, second] = responses.sent("response.published", "response.updated", expected=2)
    assert (first.type, second.type) == ("response.published", "response.updated")
    assert ResponsePublishedSchema().validate(first.data) == {}
    assert first.producer == "responses" and first.data["experience_id"] == experience_id
    assert first.data["structure_code"] == "CAF30" and first.data["structure_name"] == "CAF du Gard"
    assert first.data["status"] == "amelioration_realisee" and first.data["tags"] == ["accueil", "attestation"]
    assert first.data["general_tags"] == {"reactivite": "negative", "relation": "neutral"}
    assert first.data["actions"] == [{"kind": "made", "description": "Ouverture d'un second guichet le matin."}]
    assert (second.data["version"], second.data["body"], second.data["status"]) == (2, GOOD_UPDATE, "traitee")
    assert second.data["published_at"] == first.data["published_at"]
    assert second.data["updated_at"] > first.data["updated_at"]
    assert second.data["response_id"] == first.data["response_id"]

    detail = responses.get(f"/api/v1/agent/items/{item_id}").get_json()
    assert [version["version"] for version in detail["history"]] == [2, 1]
    assert detail["history"][1]["body"] == GOOD_ANSWER_BODY
    with responses.harness.database.unit_of_work() as session:
        assert session.execute(select(response_versions.c.version)).scalars().all() == [1, 2]


GOOD_UPDATE = "Mise à jour : le second guichet est désormais ouvert toute la journée."
GOOD_ANSWER_BODY = "Nous vous prions de nous excuser pour cette attente. Un second guichet ouvre le matin."


def test_publishing_an_incomplete_answer_says_what_is_missing_in_french(responses):
    item_id = responses.item_id(responses.publish_experience(["CAF30"]), "CAF30")
    refused = responses.send("POST", f"/api/v1/agent/items/{item_id}/response/publish",
                             {"body": "Trop court", "status": "amelioration_envisagee"})
    body = refused.get_json()
    assert refused.status_code == 422
    assert set(body["errors"]) == {"greeting", "body", "signature", "actions"}
    assert body["errors"]["body"] == ["La réponse doit contenir entre 20 et 3000 caractères (actuellement 10)."]
    # What was typed is kept as a draft: nothing the agent wrote is lost.
    assert responses.get(f"/api/v1/agent/items/{item_id}").get_json()["response"]["body"] == "Trop court"
    assert responses.sent("response.published", timeout=0.5) == []


def test_malformed_input_is_refused_field_by_field_never_a_5xx(responses):
    item_id = responses.item_id(responses.publish_experience(["CAF30"]), "CAF30")
    base = f"/api/v1/agent/items/{item_id}/response"
    cases = [
        responses.send("PUT", base, {"greeting": "Salut"}),
        responses.send("PUT", base, {"body": "x" * 3001}),
        responses.send("PUT", base, {"general_tags": {"beaute": "positive", "relation": "furieux"}}),
        responses.send("PUT", base, {"actions": [{"kind": "maybe", "description": ""}]}),
        responses.send("PUT", base, {"unknown": 1}),
        responses.send("PUT", base, {"tags": "accueil"}),
        responses.send("GET", "/api/v1/agent/items?page=0&state=perdu"),
    ]
    assert [case.status_code for case in cases] == [422] * len(cases)
    [message] = cases[0].get_json()["errors"]["json"]["greeting"]
    assert message.startswith("Valeur non autorisée") and "Madame, Monsieur," in message
    raw = responses.harness.client.put(base, data="{oops", content_type="application/json",
                                       headers=responses.headers())
    assert raw.status_code == 400
    assert responses.get("/api/v1/agent/items/not-an-item").status_code == 404


def test_two_step_validation_an_agent_drafts_a_validator_publishes(responses):
    item_id = responses.item_id(responses.publish_experience(["CAF30-NIM"]), "CAF30-NIM")
    admin = {"roles": ["admin"], "structures": [], "email": "admin@spplus.fr"}
    assert responses.send("PUT", "/api/v1/agent/structures/CAF30/settings", {"two_step_validation": True},
                          **admin).status_code == 200
    added = responses.send("POST", "/api/v1/agent/structures/CAF30/validators", {"email": "Chef@CAF30.fr"}, **admin)
    assert added.get_json()["validators"] == ["chef@caf30.fr"]
    inherited = responses.get("/api/v1/agent/structures/CAF30-NIM/settings", structures=["CAF30"]).get_json()
    assert inherited["two_step_validation"] is True and inherited["inherited"] is True

    base = f"/api/v1/agent/items/{item_id}/response"
    refused = responses.send("POST", base + "/publish", responses.answer(), email="redacteur@caf30.fr")
    assert refused.status_code == 403 and "valideur" in refused.get_json()["message"]
    submitted = responses.send("POST", base + "/submit", {}, email="redacteur@caf30.fr")
    assert submitted.get_json() == {"state": "pending_validation"}
    listed = responses.get("/api/v1/agent/items?state=en_validation").get_json()
    assert [row["id"] for row in listed["items"]] == [item_id]

    published = responses.send("POST", base + "/publish", {}, email="chef@caf30.fr")
    assert published.status_code == 200 and published.get_json()["version"] == 1
    assert responses.sent("response.published")[0].data["structure_code"] == "CAF30-NIM"

    removed = responses.send("DELETE", "/api/v1/agent/structures/CAF30/validators/chef@caf30.fr", **admin)
    assert removed.get_json()["validators"] == []

    # Only admins manage these settings.
    for method, path, payload in [("PUT", "/api/v1/agent/structures/CAF30/settings", {"two_step_validation": True}),
                                  ("POST", "/api/v1/agent/structures/CAF30/validators", {"email": "a@b.fr"}),
                                  ("DELETE", "/api/v1/agent/structures/CAF30/validators/a@b.fr", None)]:
        assert responses.send(method, path, payload, structures=["CAF30"]).status_code == 403
    unknown = responses.send("PUT", "/api/v1/agent/structures/NOPE/settings", {"two_step_validation": True},
                             roles=["admin"], structures=[])
    assert unknown.status_code == 404


def test_internal_comments_are_shared_with_moderators_and_never_published(responses):
    experience_id = responses.publish_experience(["CAF30", "CAF34"])
    item_id = responses.item_id(experience_id, "CAF30")
    other_item = responses.item_id(experience_id, "CAF34")
    secret = "Voir avec le service contentieux avant de répondre."
    created = responses.send("POST", f"/api/v1/agent/items/{item_id}/comments", {"body": secret})
    assert created.status_code == 201 and created.get_json()["author_role"] == "agent"
    moderator = responses.get(f"/api/v1/agent/items/{item_id}/comments", roles=["moderator"], structures=[])
    assert [c["body"] for c in moderator.get_json()] == [secret]
    # The other structure concerned by the same experience reads it too.
    other = responses.get(f"/api/v1/agent/items/{other_item}/comments", structures=["CAF34"])
    assert [c["body"] for c in other.get_json()] == [secret]
    assert responses.send("POST", f"/api/v1/agent/items/{item_id}/comments", {"body": ""}).status_code == 422

    responses.send("POST", f"/api/v1/agent/items/{item_id}/response/publish", responses.answer())
    events = responses.sent("response.published")
    assert events and all(secret not in event.to_json() for event in responses.harness.spy.events)


def test_reassign_to_a_child_structure(responses):
    experience_id = responses.publish_experience(["CAF30"])
    item_id = responses.item_id(experience_id, "CAF30")
    base = f"/api/v1/agent/items/{item_id}/reassign"
    for target in ("CAF34", "CAF30", "NOPE"):
        refused = responses.send("POST", base, {"structure_code": target})
        assert refused.status_code == 422 and "structure_code" in refused.get_json()["errors"]
    moved = responses.send("POST", base, {"structure_code": "CAF30-NIM-1"})
    assert moved.status_code == 200 and moved.get_json()["structure_name"] == "Guichet 1 de Nîmes"
    assert responses.items_of(experience_id) == {"CAF30": "reaffecte", "CAF30-NIM-1": "a_traiter"}
    child_view = responses.get("/api/v1/agent/items", structures=["CAF30-NIM-1"]).get_json()["items"]
    assert [row["id"] for row in child_view] == [moved.get_json()["item_id"]]
    [event] = responses.sent("experience.reassigned")
    assert event.data == {"experience_id": experience_id, "from_structure_code": "CAF30",
                          "to_structure_code": "CAF30-NIM-1", "to_structure_name": "Guichet 1 de Nîmes",
                          "by": "responses", "reassigned_at": event.data["reassigned_at"]}
    again = responses.send("POST", base, {"structure_code": "CAF30-ALE"})
    assert again.status_code == 409

    # An answered item stays with the structure that answered.
    item_id = responses.item_id(responses.publish_experience(["CAF30"]), "CAF30")
    responses.send("POST", f"/api/v1/agent/items/{item_id}/response/publish", responses.answer())
    refused = responses.send("POST", f"/api/v1/agent/items/{item_id}/reassign", {"structure_code": "CAF30-ALE"})
    assert refused.status_code == 409 and "déjà répondu" in refused.get_json()["message"]


def test_transfer_request_is_recorded_and_sent_to_moderation(responses):
    experience_id = responses.publish_experience(["CAF30"])
    item_id = responses.item_id(experience_id, "CAF30")
    created = responses.send("POST", f"/api/v1/agent/items/{item_id}/transfer-requests",
                             {"reason": "Il s'agit de la CPAM, pas de la CAF.", "suggested_structure": "CPAM du Gard"})
    assert created.status_code == 201
    [event] = responses.sent("experience.transfer_requested")
    assert event.data["experience_id"] == experience_id and event.data["suggested_structure"] == "CPAM du Gard"
    assert "requested_by" not in event.data
    detail = responses.get(f"/api/v1/agent/items/{item_id}").get_json()
    assert detail["transfer_requests"][0]["reason"] == "Il s'agit de la CPAM, pas de la CAF."
    assert responses.send("POST", f"/api/v1/agent/items/{item_id}/transfer-requests", {}).status_code == 422


def test_options_and_openapi_document_the_api(bare_app, auth_keys):
    options = bare_app.test_client().get("/api/v1/agent/options", headers=auth_keys.headers()).get_json()
    assert "Madame, Monsieur," in options["greetings"]
    assert options["statuses"]["en_cours"] == "En cours de traitement"
    assert sorted(options["general_tags"].values()) == ["Accessibilité", "Information/explication", "Relation",
                                                        "Réactivité", "Simplicité"]

    spec = bare_app.test_client().get("/openapi.json").get_json()
    assert "/api/v1/agent/items/{item_id}/response/publish" in spec["paths"]
    assert {"ResponseContent", "ItemDetail", "Dashboard"} <= set(spec["components"]["schemas"])
