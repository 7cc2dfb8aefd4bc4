"""Cases opened from events, the API of decisions and the events they publish, on PostgreSQL and RabbitMQ."""
import json

from sqlalchemy import select

from spplus.chassis.messaging_tables import outbox
from spplus.moderation.adapters.tables import cases


def open_case(moderation, submitted, **overrides) -> dict:
    data = submitted(**overrides)
    moderation.deliver("experience.submitted", data)
    return data


def test_submitted_experience_opens_one_case_with_findings(moderation, submitted, moderator, emitted):
    data = open_case(moderation, submitted, description=(
        "J'ai appelé la CAF du Gard pour mon dossier, mon conseiller Jean Dupont m'a donné son numéro "
        "06 12 34 56 78 et m'a rappelé le lendemain pour finir la démarche avec moi. Très bon accueil."))
    response = moderation.client.get(f"/api/v1/moderation/cases/{data['experience_id']}", headers=moderator())
    assert response.status_code == 200, response.get_data(as_text=True)
    case = response.get_json()
    assert case["state"] == "pending" and case["experience_id"] == data["experience_id"]
    assert case["pseudonym"] == "Camille" and case["postal_code"] == "30000"
    assert case["analysis_status"] == "done"
    phone = [f for f in case["findings"] if f["kind"] == "pii.phone"]
    assert phone and data["description"][phone[0]["start"]:phone[0]["end"]] == "06 12 34 56 78"
    assert "camille.secret" not in response.get_data(as_text=True)
    assert [entry["action"] for entry in case["audit"]] == ["open"]


def test_the_authors_email_is_never_stored(moderation, submitted):
    open_case(moderation, submitted)
    with moderation.database.unit_of_work() as session:
        row = session.execute(select(cases)).mappings().one()
    assert "camille.secret" not in json.dumps({k: str(v) for k, v in row.items()})


def test_duplicated_and_replayed_events_open_a_single_case(moderation, submitted, emitted):
    data = submitted()
    event = moderation.publish("experience.submitted", data)
    moderation.publish("experience.submitted", {}, event=event)  # the same event delivered twice
    moderation.publish("experience.submitted", {**data, "title": "Rejoué avec un autre id"})  # replayed by producer
    assert moderation.consume() == 3
    with moderation.database.unit_of_work() as session:
        rows = session.execute(select(cases.c.title)).all()
    assert [row.title for row in rows] == [data["title"]]
    # The author's tracking page learns, once, that moderation has the story.
    [started] = emitted(moderation, 1, types=("experience.moderation_started",))
    assert started.data["experience_id"] == data["experience_id"] and started.data["opened_at"]
    assert moderation.relay() == 0


def test_claim_and_publish_as_is(moderation, submitted, moderator, emitted):
    data = open_case(moderation, submitted)
    url = f"/api/v1/moderation/cases/{data['experience_id']}"
    alice = moderator("Alice Martin")
    claimed = moderation.client.post(f"{url}/claim", headers=alice).get_json()
    assert claimed["state"] == "in_review" and claimed["claimed_by_name"] == "Alice Martin"
    published = moderation.client.post(f"{url}/publish", json={}, headers=alice)
    assert published.status_code == 200 and published.get_json()["state"] == "published"
    [event] = emitted(moderation, 1)
    assert event.data["title"] == data["title"] and event.data["edited"] is False
    assert event.data["path"][0]["structure_code"] == "CAF30" and event.data["pseudonym"] == "Camille"
    assert "postal_code" not in event.data and "email" not in event.data
    again = moderation.client.post(f"{url}/publish", json={}, headers=alice)
    assert again.status_code == 409 and "publié" in again.get_json()["message"]


def test_publish_with_minor_edits_and_refusal_of_substantial_ones(moderation, submitted, moderator, emitted):
    data = open_case(moderation, submitted)
    url = f"/api/v1/moderation/cases/{data['experience_id']}"
    alice = moderator()
    moderation.client.post(f"{url}/claim", headers=alice)
    refused = moderation.client.post(f"{url}/publish", json={"description": "Tout autre chose."}, headers=alice)
    assert refused.status_code == 422 and "proposez-la à l'auteur" in refused.get_json()["message"]
    fixed = data["description"].replace("dix jours", "dix jours !").replace("L'agent", "l'agent")
    response = moderation.client.post(f"{url}/publish", json={"description": fixed}, headers=alice)
    assert response.status_code == 200 and response.get_json()["edited"] is True
    [event] = emitted(moderation, 1)
    assert event.data["description"] == fixed and event.data["edited"] is True
    audit = moderation.client.get(url, headers=alice).get_json()["audit"]
    assert audit[-1]["action"] == "publish" and audit[-1]["before_description"] == data["description"]
    assert audit[-1]["after_description"] == fixed and audit[-1]["actor_name"] == "Alice Modératrice"


def test_reject_with_a_policy_reason(moderation, submitted, moderator, emitted):
    data = open_case(moderation, submitted)
    url = f"/api/v1/moderation/cases/{data['experience_id']}"
    alice = moderator()
    unclaimed = moderation.client.post(f"{url}/reject", json={"reason": "spam"}, headers=alice)
    assert unclaimed.status_code == 409 and "Prenez d'abord ce dossier en charge" in unclaimed.get_json()["message"]
    moderation.client.post(f"{url}/claim", headers=alice)
    invalid = moderation.client.post(f"{url}/reject", json={"reason": "nope"}, headers=alice)
    assert invalid.status_code == 422 and invalid.get_json()["errors"]["json"]["reason"]
    response = moderation.client.post(f"{url}/reject", json={"reason": "out_of_scope", "message": "Voyez la mairie."},
                                      headers=alice)
    assert response.status_code == 200 and response.get_json()["state"] == "rejected"
    [event] = emitted(moderation, 1)
    assert event.data["reason_code"] == "out_of_scope" and event.data["reason_label"] == "Hors du champ du programme"
    assert event.data["message"] == "Voyez la mairie."


def test_withdraw_and_reassign(moderation, submitted, moderator, emitted):
    moderation.deliver("structure.upserted", {
        "code": "CAF34", "name": "CAF de l'Hérault", "network_code": "CAF", "network_name": "CAF",
        "active": True, "updated_at": "2026-01-01T00:00:00+00:00"})
    data = open_case(moderation, submitted)
    experience_id = data["experience_id"]
    url = f"/api/v1/moderation/cases/{experience_id}"
    alice = moderator()
    early = moderation.client.post(f"/api/v1/moderation/experiences/{experience_id}/withdraw",
                                   json={"reason": "Signalement"}, headers=alice)
    assert early.status_code == 409 and "Seule une expérience publiée" in early.get_json()["message"]
    moderation.client.post(f"{url}/claim", headers=alice)
    moderation.client.post(f"{url}/publish", json={}, headers=alice)
    unknown = moderation.client.post(f"{url}/structures", json={"from_structure_code": "CAF30",
                                                                "to_structure_code": "NOPE"}, headers=alice)
    assert unknown.status_code == 422
    moved = moderation.client.post(f"{url}/structures", json={"from_structure_code": "CAF30",
                                                              "to_structure_code": "CAF34"}, headers=alice)
    assert moved.status_code == 200 and moved.get_json()["path"][0]["structure_name"] == "CAF de l'Hérault"
    withdrawn = moderation.client.post(f"/api/v1/moderation/experiences/{experience_id}/withdraw",
                                       json={"reason": "Signalement fondé"}, headers=alice)
    assert withdrawn.status_code == 200 and withdrawn.get_json()["state"] == "withdrawn"
    events = emitted(moderation, 3)
    assert [e.type for e in events] == ["experience.published", "experience.reassigned", "experience.withdrawn"]
    assert events[1].data["to_structure_code"] == "CAF34" and events[2].data["reason"] == "Signalement fondé"


def test_queue_lists_oldest_first_with_counts_and_filters(moderation, submitted, moderator, emitted):
    older = open_case(moderation, submitted, submitted_at="2026-11-01T08:00:00+00:00")
    newer = open_case(moderation, submitted, submitted_at="2026-11-20T08:00:00+00:00")
    body = moderation.client.get("/api/v1/moderation/cases?state=pending", headers=moderator()).get_json()
    assert [item["experience_id"] for item in body["items"]] == [older["experience_id"], newer["experience_id"]]
    assert body["counts"]["pending"] == 2 and body["total"] == 2
    newest = moderation.client.get("/api/v1/moderation/cases?order=newest", headers=moderator()).get_json()
    assert newest["items"][0]["experience_id"] == newer["experience_id"]
    bad = moderation.client.get("/api/v1/moderation/cases?state=lost", headers=moderator())
    assert bad.status_code == 422


def test_roles_and_unknown_cases(moderation, submitted, moderator, auth_keys):
    assert moderation.client.get("/api/v1/moderation/cases").status_code == 401
    agent = auth_keys.headers(roles=["agent"], structures=["CAF30"])
    assert moderation.client.get("/api/v1/moderation/cases", headers=agent).status_code == 403
    assert moderation.client.get("/api/v1/moderation/cases/not-a-uuid", headers=moderator()).status_code == 404
    missing = moderation.client.post("/api/v1/moderation/cases/9b2f61a4-8d5e-4a0b-9b59-3f6a4c1d2e10/claim",
                                     headers=moderator())
    assert missing.status_code == 404 and missing.get_json()["message"] == "Ce dossier n'existe pas."
    malformed = moderation.client.post("/api/v1/moderation/cases/9b2f61a4-8d5e-4a0b-9b59-3f6a4c1d2e10/reject",
                                       data="{oops", content_type="application/json", headers=moderator())
    assert malformed.status_code == 400


def test_reasons_and_analyze(moderation, moderator, auth_keys):
    reasons = moderation.client.get("/api/v1/moderation/reasons", headers=moderator()).get_json()
    assert len(reasons) == 12 and {"code": "duplicate", "label": "Doublon"}.items() <= reasons[8].items()
    agent = auth_keys.headers(roles=["agent"], structures=["CAF30"])
    response = moderation.client.post("/api/v1/moderation/analyze", headers=agent,
                                      json={"text": "Écrivez-moi à jean.dupont@example.org pour en parler."})
    assert response.status_code == 200
    [email] = [f for f in response.get_json()["findings"] if f["kind"] == "pii.email"]
    assert email["excerpt"] == "jean.dupont@example.org" and email["suggestion"]
    invalid = moderation.client.post("/api/v1/moderation/analyze", headers=agent, json={"text": ""})
    assert invalid.status_code == 422
    assert moderation.client.post("/api/v1/moderation/analyze", json={"text": "x"}).status_code == 401


def test_openapi_documents_the_routes(moderation):
    spec = moderation.client.get("/openapi.json").get_json()
    for path in ("/api/v1/moderation/cases", "/api/v1/moderation/cases/{case_id}/publish",
                 "/api/v1/moderation/cases/{case_id}/propose-edit", "/api/v1/moderation/reasons",
                 "/api/v1/proposals/{token}", "/api/v1/moderation/experiences/{experience_id}/withdraw"):
        assert path in spec["paths"], path
    assert "experience_id" in spec["components"]["schemas"]["Case"]["properties"]


def test_events_are_in_the_outbox_of_the_same_transaction(moderation, submitted, moderator, emitted):
    data = open_case(moderation, submitted)
    alice = moderator()
    url = f"/api/v1/moderation/cases/{data['experience_id']}"
    moderation.client.post(f"{url}/claim", headers=alice)
    moderation.client.post(f"{url}/reject", json={"reason": "spam"}, headers=alice)
    with moderation.database.unit_of_work() as session:
        types = session.execute(select(outbox.c.type)).scalars().all()
    assert types == ["experience.moderation_started", "experience.rejected"]


def test_a_claim_expires_after_thirty_minutes(moderation, submitted, moderator):
    import datetime as dt

    data = open_case(moderation, submitted)
    url = f"/api/v1/moderation/cases/{data['experience_id']}"
    alice, bob = moderator("Alice Martin"), moderator("Bob Durand")
    assert moderation.client.post(f"{url}/claim", headers=alice).status_code == 200
    taken = moderation.client.post(f"{url}/claim", headers=bob)
    assert taken.status_code == 409
    assert taken.get_json()["message"] == "Ce dossier est déjà pris en charge par Alice Martin."
    service = moderation.app.extensions["moderation"]
    service.clock = lambda: dt.datetime.now(dt.timezone.utc) + dt.timedelta(minutes=31)
    assert moderation.client.post(f"{url}/claim", headers=bob).get_json()["claimed_by_name"] == "Bob Durand"
    late = moderation.client.post(f"{url}/publish", json={}, headers=alice)
    assert late.status_code == 409 and "pris en charge par Bob Durand" in late.get_json()["message"]
    assert moderation.client.post(f"{url}/publish", json={}, headers=bob).get_json()["state"] == "published"
