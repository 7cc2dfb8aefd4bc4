"""Dashboard per structure and network: response rate, median delay to the first answer,
overdue items (target delay 15 days by default), improvement actions made."""
import datetime as dt

import pytest


def test_dashboard_figures_in_total_per_network_and_per_structure(responses):
    now = dt.datetime.now(dt.timezone.utc)
    responses.publish_experience(["CAF30"], published_at=now - dt.timedelta(days=20))  # overdue
    answered_nim = responses.publish_experience(["CAF30-NIM"], published_at=now - dt.timedelta(days=10))
    answered_sip = responses.publish_experience(["SIP69"], published_at=now - dt.timedelta(days=4))
    responses.publish_experience(["CAF34"], published_at=now - dt.timedelta(days=1))
    item = responses.item_id(answered_nim, "CAF30-NIM")
    assert responses.send("POST", f"/api/v1/agent/items/{item}/response/publish",
                          responses.answer()).status_code == 200
    item = responses.item_id(answered_sip, "SIP69")
    assert responses.send("POST", f"/api/v1/agent/items/{item}/response/publish",
                          responses.answer(status="traitee", actions=[]), structures=["SIP69"]).status_code == 200

    everything = responses.get("/api/v1/agent/dashboard", roles=["admin"], structures=[]).get_json()
    assert everything["target_delay_days"] == 15
    total = everything["total"]
    assert (total["items"], total["answered"], total["response_rate"], total["overdue"], total["actions_made"]) == (
        4, 2, 0.5, 1, 1)
    assert total["median_delay_days"] == pytest.approx(7.0, abs=0.01)
    networks = {row["code"]: row for row in everything["networks"]}
    assert networks["CAF"]["name"] == "Caisses d'allocations familiales"
    assert (networks["CAF"]["items"], networks["CAF"]["answered"], networks["CAF"]["overdue"]) == (3, 1, 1)
    assert networks["CAF"]["response_rate"] == pytest.approx(0.3333, abs=0.0001)
    assert networks["DGFIP"]["median_delay_days"] == pytest.approx(4.0, abs=0.01)

    mine = responses.get("/api/v1/agent/dashboard", structures=["CAF30"]).get_json()
    assert {row["code"] for row in mine["structures"]} == {"CAF30", "CAF30-NIM"}
    assert (mine["total"]["items"], mine["total"]["answered"], mine["total"]["overdue"]) == (2, 1, 1)
    assert mine["total"]["median_delay_days"] == pytest.approx(10.0, abs=0.01)
    narrowed = responses.get("/api/v1/agent/dashboard?structure=CAF30-NIM", structures=["CAF30"]).get_json()
    assert narrowed["total"]["items"] == 1 and narrowed["total"]["response_rate"] == 1.0

    overdue = responses.get("/api/v1/agent/items?overdue=true", structures=["CAF30"]).get_json()
    assert [(row["structure_code"], row["overdue"]) for row in overdue["items"]] == [("CAF30", True)]


def test_the_target_delay_is_configurable(make_harness, auth_keys):
    from spplus.responses.bootstrap import spec

    harness = make_harness(spec, AUTH_PUBLIC_KEY=auth_keys.public_pem, RESPONSES_TARGET_DELAY_DAYS="3")
    now = dt.datetime.now(dt.timezone.utc)
    data = {"experience_id": "7b0f7a3e-4c1b-4d7e-9a55-0c1d2e3f4a5b", "title": "Dossier perdu",
            "description": "Mon dossier a été perdu deux fois par le service, il a fallu tout renvoyer " * 2,
            "feeling": None, "experienced_on": None, "pseudonym": None, "edited": False,
            "path": [{"structure_code": "CAF30", "structure_name": "CAF du Gard", "channels": []}],
            "submitted_at": (now - dt.timedelta(days=5)).isoformat(),
            "published_at": (now - dt.timedelta(days=4)).isoformat()}
    harness.deliver("experience.published", data, producer="moderation")
    listed = harness.client.get("/api/v1/agent/items", headers=auth_keys.headers(structures=["CAF30"])).get_json()
    assert listed["items"][0]["overdue"] is True
    assert listed["items"][0]["structure_name"] == "CAF du Gard"  # from the event while the replica is empty
