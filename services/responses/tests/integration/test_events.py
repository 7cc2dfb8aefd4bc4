"""Moderation's events fill the inbox: one item per structure of the path, closed on withdrawal,
moved on reassignment; duplicates and out-of-order deliveries change nothing."""
import datetime as dt
import uuid


def test_published_experience_makes_one_item_per_structure_named_from_the_replica(responses):
    experience_id = responses.publish_experience(["CAF30-NIM", "SIP69"], via_broker=True)
    assert responses.items_of(experience_id) == {"CAF30-NIM": "a_traiter", "SIP69": "a_traiter"}
    body = responses.get("/api/v1/agent/items", structures=["SIP69"]).get_json()
    assert [row["structure_name"] for row in body["items"]] == ["Service des impôts des particuliers de Lyon"]


def test_agents_of_the_structure_and_of_its_parents_see_the_item_not_the_others(responses):
    experience_id = responses.publish_experience(["CAF30-NIM"])
    item_id = responses.item_id(experience_id, "CAF30-NIM")
    for scope in (["CAF30-NIM"], ["CAF30"]):
        listed = responses.get("/api/v1/agent/items", structures=scope).get_json()["items"]
        assert [row["id"] for row in listed] == [item_id]
    for scope in (["CAF30-NIM-1"], ["CAF30-ALE"], ["CAF34"]):
        assert responses.get("/api/v1/agent/items", structures=scope).get_json()["items"] == []


def test_redelivered_and_republished_events_create_nothing_twice(responses):
    data = responses.experience_event(["CAF30", "CAF34"])
    event = responses.harness.publish("experience.published", data, producer="moderation")
    responses.harness.publish("experience.published", {}, event=event)  # same event again
    responses.harness.publish("experience.published", data, producer="moderation")  # same data, new event id
    responses.harness.consume()
    assert responses.items_of(data["experience_id"]) == {"CAF30": "a_traiter", "CAF34": "a_traiter"}


def test_withdrawal_closes_the_items(responses):
    experience_id = responses.publish_experience(["CAF30", "CAF34"], via_broker=True)
    responses.harness.deliver("experience.withdrawn", {"experience_id": experience_id, "reason": "Données personnelles",
                                                       "withdrawn_at": dt.datetime.now(dt.timezone.utc).isoformat()})
    assert responses.items_of(experience_id) == {"CAF30": "clos", "CAF34": "clos"}
    item_id = responses.item_id(experience_id, "CAF30")
    refused = responses.send("PUT", f"/api/v1/agent/items/{item_id}/response", responses.answer())
    assert refused.status_code == 409 and "retirée" in refused.get_json()["message"]

    # A withdrawal arriving before the publication still closes.
    experience_id = str(uuid.uuid4())
    responses.harness.deliver("experience.withdrawn", {"experience_id": experience_id, "reason": "Hors champ",
                                                       "withdrawn_at": dt.datetime.now(dt.timezone.utc).isoformat()})
    responses.publish_experience(["CAF30"], experience_id=experience_id,
                                 published_at=dt.datetime.now(dt.timezone.utc) - dt.timedelta(hours=1))
    assert responses.items_of(experience_id) == {"CAF30": "clos"}


def test_moderation_reassignment_moves_the_item(responses):
    experience_id = responses.publish_experience(["CAF30"])
    responses.harness.deliver("experience.reassigned", {
        "experience_id": experience_id, "from_structure_code": "CAF30", "to_structure_code": "CAF34",
        "to_structure_name": "CAF de l'Hérault", "by": "moderation",
        "reassigned_at": dt.datetime.now(dt.timezone.utc).isoformat()}, producer="moderation")
    assert responses.items_of(experience_id) == {"CAF30": "reaffecte", "CAF34": "a_traiter"}
    assert len(responses.get("/api/v1/agent/items", structures=["CAF34"]).get_json()["items"]) == 1
    listed = responses.get("/api/v1/agent/items?state=a_traiter", structures=["CAF30"]).get_json()
    assert listed["items"] == [] and listed["counts"] == {"reaffecte": 1}

    # A reassignment arriving before the publication is applied with it.
    experience_id = str(uuid.uuid4())
    now = dt.datetime.now(dt.timezone.utc)
    responses.harness.deliver("experience.reassigned", {
        "experience_id": experience_id, "from_structure_code": "CAF30", "to_structure_code": "SIP69",
        "to_structure_name": None, "by": "moderation", "reassigned_at": now.isoformat()}, producer="moderation")
    responses.publish_experience(["CAF30"], experience_id=experience_id, published_at=now - dt.timedelta(minutes=5))
    assert responses.items_of(experience_id) == {"CAF30": "reaffecte", "SIP69": "a_traiter"}

    # Our own reassignment coming back from the broker changes nothing.
    experience_id = responses.publish_experience(["CAF30"])
    responses.harness.deliver("experience.reassigned", {
        "experience_id": experience_id, "from_structure_code": "CAF30", "to_structure_code": "CAF34",
        "to_structure_name": None, "by": "responses",
        "reassigned_at": dt.datetime.now(dt.timezone.utc).isoformat()}, producer="responses")
    assert responses.items_of(experience_id) == {"CAF30": "a_traiter"}
