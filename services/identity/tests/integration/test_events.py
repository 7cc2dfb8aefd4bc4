"""Every change of the referential reaches the broker through the outbox, exactly as the contract says."""
from spplus.chassis.events import contract_for

from identity_helpers import with_csrf


def test_each_new_structure_is_published_once_and_a_second_load_publishes_nothing(identity):
    counts = identity.small_seed()
    events = identity.published(counts.inserted, timeout=60, types=("structure.upserted",))
    assert len(events) == counts.inserted >= 100
    caf = next(event for event in events if event.data["code"] == "CAF-30")
    assert caf.producer == "identity" and caf.data["network_name"].startswith("Caisses d'allocations")
    assert not contract_for("structure.upserted")().validate(caf.data)
    again = identity.small_seed()
    assert again.inserted == again.updated == 0 and identity.relay() == 0


def test_admin_update_and_retire_are_events(seeded):
    client = seeded.admin_client()
    changed = client.put("/api/v1/structures/CAF-30", json={"name": "CAF du Gard (Nîmes)", "network": "CAF",
                                                             "parent_code": "CNAF", "postal_code": "30000",
                                                             "city": "Nîmes"})
    assert changed.status_code == 200 and changed.get_json()["name"] == "CAF du Gard (Nîmes)"
    assert client.delete("/api/v1/structures/CAF-30").status_code == 204
    assert client.delete("/api/v1/structures/CAF-30").status_code == 204  # already retired: no new event
    upserted, retired = seeded.published(2)
    assert upserted.type == "structure.upserted" and upserted.data["name"] == "CAF du Gard (Nîmes)"
    assert retired.type == "structure.retired" and retired.data["code"] == "CAF-30"
    assert retired.data["updated_at"] > upserted.data["updated_at"]
    assert seeded.client.get("/api/v1/structures?q=caf gard").get_json()["total"] == 0
    assert seeded.client.get("/api/v1/structures/CAF-30").get_json()["active"] is False


def test_structure_writes_need_an_admin_and_valid_data(seeded):
    seeded.account("agent@test.spplus.fr")
    client = seeded.client
    assert client.delete("/api/v1/structures/CAF-30").status_code == 401
    seeded.login(client, "agent@test.spplus.fr")
    forged = client.delete("/api/v1/structures/CAF-30", headers={"X-CSRF-Token": "x"})
    assert forged.status_code == 403 and "jeton de sécurité" in forged.get_json()["message"]
    agent = with_csrf(client)
    refused = agent.delete("/api/v1/structures/CAF-30")
    assert refused.status_code == 403 and refused.get_json()["status"] == "Accès refusé"
    admin = seeded.admin_client()
    bad = admin.put("/api/v1/structures/NEW-1", json={"name": "Nouvelle", "network": "NOPE", "parent_code": "NEW-1"})
    assert bad.status_code == 422
    assert bad.get_json()["errors"]["json"] == {"network": ["Réseau inconnu : « NOPE »."],
                                                "parent_code": ["Une structure ne peut pas être son propre parent."]}
    loop = admin.put("/api/v1/structures/CNAF", json={"name": "CNAF", "network": "CAF", "parent_code": "CAF-30"})
    assert loop.status_code == 422 and "boucle" in loop.get_json()["errors"]["json"]["parent_code"][0]
