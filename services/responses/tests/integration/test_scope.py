"""Scope is enforced on every route: an agent never reads, answers or comments outside their
structures, a visitor without a token gets 401, a moderator cannot answer in place of an agent."""
from spplus.responses.adapters.tables import comments, transfer_requests
from spplus.responses.adapters.tables import responses as responses_table
from sqlalchemy import func, select

OUTSIDER = {"structures": ["CAF34"], "email": "agent@caf34.fr"}
SIBLING = {"structures": ["CAF30-ALE"], "email": "agent@ales.fr"}


def item_routes(item_id, answer):
    """(method, path, JSON body, writes) for every route about one item."""
    base = f"/api/v1/agent/items/{item_id}"
    return [
        ("GET", base, None, False),
        ("PUT", base + "/response", answer, True),
        ("POST", base + "/response/submit", answer, True),
        ("POST", base + "/response/check", {"body": "Bonjour, voici notre réponse."}, False),
        ("POST", base + "/response/publish", answer, True),
        ("GET", base + "/comments", None, False),
        ("POST", base + "/comments", {"body": "Note interne"}, True),
        ("POST", base + "/reassign", {"structure_code": "CAF30-NIM-1"}, True),
        ("POST", base + "/transfer-requests", {"reason": "Pas chez nous"}, True),
    ]


def test_the_table_below_covers_every_route_of_the_agent_api(bare_app):
    rules = {rule.rule for rule in bare_app.url_map.iter_rules() if rule.rule.startswith("/api/v1/agent/")}
    covered = {path.replace("ITEM", "<item_id>") for _m, path, _b, _w in item_routes("ITEM", {})}
    covered |= {"/api/v1/agent/items", "/api/v1/agent/dashboard", "/api/v1/agent/options",
                "/api/v1/agent/structures/<code>/settings", "/api/v1/agent/structures/<code>/validators",
                "/api/v1/agent/structures/<code>/validators/<email>"}
    assert rules == covered


def test_every_item_route_refuses_agents_outside_the_scope_and_changes_nothing(responses):
    item_id = responses.item_id(responses.publish_experience(["CAF30-NIM"]), "CAF30-NIM")
    for who in (OUTSIDER, SIBLING):
        for method, path, body, _writes in item_routes(item_id, responses.answer()):
            response = responses.send(method, path, body, **who)
            assert response.status_code in (403, 404), (who, method, path, response.status_code)
            assert "Nous vous prions" not in response.get_data(as_text=True)
    with responses.harness.database.unit_of_work() as session:
        for table in (responses_table, comments, transfer_requests):
            assert session.scalar(select(func.count()).select_from(table)) == 0, table.name
    assert responses.sent("response.published", "experience.reassigned", "experience.transfer_requested",
                          timeout=0.5) == []
    assert responses.state(item_id) == "a_traiter"


def test_every_item_route_needs_a_token_and_answering_needs_the_agent_role(responses):
    item_id = responses.item_id(responses.publish_experience(["CAF30"]), "CAF30")
    for method, path, body, writes in item_routes(item_id, responses.answer()):
        anonymous = responses.harness.client.open(path, method=method, json=body)
        assert anonymous.status_code == 401, (method, path)
        assert anonymous.get_json()["status"] == "Authentification requise"
        moderator = responses.send(method, path, body, roles=["moderator"], structures=[])
        if writes and not path.endswith("/comments"):
            assert moderator.status_code == 403, (method, path, moderator.status_code)
    # The same routes succeed for an agent of a parent structure (scope covers children).
    assert responses.get(f"/api/v1/agent/items/{item_id}", structures=["CAF30"]).status_code == 200


def test_list_dashboard_and_settings_stay_within_the_scope(responses):
    responses.publish_experience(["CAF30-NIM"])
    assert responses.get("/api/v1/agent/items", **OUTSIDER).get_json()["total"] == 0
    assert responses.get("/api/v1/agent/items?structure=CAF30", **OUTSIDER).status_code == 403
    assert responses.get("/api/v1/agent/items?structure=CAF30-NIM", structures=["CAF30"]).get_json()["total"] == 1
    assert responses.get("/api/v1/agent/dashboard", **OUTSIDER).get_json()["total"]["items"] == 0
    assert responses.get("/api/v1/agent/dashboard?structure=CAF30-NIM", **OUTSIDER).status_code == 403
    assert responses.get("/api/v1/agent/structures/CAF30/settings", **OUTSIDER).status_code == 403
    assert responses.get("/api/v1/agent/structures/CAF30-NIM/settings", structures=["CAF30"]).status_code == 200
    for path in ("/api/v1/agent/items", "/api/v1/agent/dashboard", "/api/v1/agent/options",
                 "/api/v1/agent/structures/CAF30/settings"):
        assert responses.harness.client.get(path).status_code == 401, path
    assert responses.get("/api/v1/agent/items", roles=["moderator"], structures=[]).get_json()["total"] == 1
