"""The routing table (pure): ARCHITECTURE.md section 4, method-aware and most-specific-first."""
import pytest
from spplus.gateway.config import load_routing, routing_from_mapping

TABLE = load_routing(environ={})


@pytest.mark.parametrize("method, path, service", [
    ("GET", "/", "publication"),
    ("GET", "/experiences", "publication"),
    ("GET", "/experiences/6f1c", "publication"),
    ("GET", "/experiences/nouvelle", "submission"),
    ("POST", "/experiences/nouvelle/etape-2", "submission"),
    ("GET", "/experiences-nouvelles", "publication"),
    ("GET", "/suivi/abc", "submission"),
    ("POST", "/api/v1/experiences", "submission"),
    ("GET", "/api/v1/experiences", "publication"),
    ("HEAD", "/api/v1/experiences", "publication"),
    ("GET", "/api/v1/experiences/6f1c", "publication"),
    ("POST", "/api/v1/experiences/6f1c/similar", "publication"),
    ("POST", "/api/v1/responses/9/votes", "publication"),
    ("GET", "/api/v1/opendata/experiences.csv", "publication"),
    ("GET", "/resultats", "publication"),
    ("GET", "/conditions-generales-d-utilisation", "publication"),
    ("GET", "/connexion", "identity"),
    ("POST", "/api/v1/auth/login", "identity"),
    ("GET", "/api/v1/auth/me", "identity"),
    ("GET", "/api/v1/structures", "identity"),
    ("GET", "/api/v1/networks/3", "identity"),
    ("GET", "/api/v1/channels", "identity"),
    ("GET", "/admin/structures", "identity"),
    ("GET", "/moderation", "moderation"),
    ("POST", "/api/v1/moderation/cases/1/decision", "moderation"),
    ("GET", "/proposition/tok", "moderation"),
    ("POST", "/api/v1/proposals/tok", "moderation"),
    ("GET", "/espace-agent/reponses", "responses"),
    ("PATCH", "/api/v1/agent/responses/1", "responses"),
    ("GET", "/documents/signaler", "documents"),
    ("POST", "/api/v1/documents", "documents"),
    ("GET", "/panel/inscription", "panel"),
    ("POST", "/api/v1/panel/members", "panel"),
])
def test_each_path_reaches_its_service(method, path, service):
    assert TABLE.match(method, path).upstream == service


@pytest.mark.parametrize("method, path, role", [
    ("GET", "/moderation/cas/1", "moderator"),
    ("GET", "/api/v1/moderation/cases", "moderator"),
    ("GET", "/espace-agent", "agent"),
    ("POST", "/api/v1/agent/responses", "agent"),
    ("GET", "/admin", "admin"),
    ("GET", "/connexion", None),
    ("POST", "/api/v1/auth/login", None),
    ("GET", "/proposition/tok", None),
    ("GET", "/experiences", None),
])
def test_back_office_routes_need_their_role(method, path, role):
    assert TABLE.match(method, path).role == role


def test_body_limits_and_rate_limits_per_route():
    assert TABLE.match("POST", "/api/v1/experiences").max_body == 64 * 1024
    assert TABLE.match("POST", "/api/v1/documents").max_body == 10 * 1024 * 1024
    assert TABLE.match("POST", "/documents/signaler").max_body == 10 * 1024 * 1024
    assert TABLE.match("GET", "/documents/signaler").max_body == 64 * 1024
    assert TABLE.match("POST", "/api/v1/auth/login").rate_limit == "10 per minute"
    assert TABLE.match("GET", "/api/v1/auth/me").rate_limit == "300 per minute"


def test_an_upstream_address_comes_from_the_environment():
    table = load_routing(environ={"GATEWAY_UPSTREAM_PUBLICATION": "http://10.0.0.5:9000/"})
    assert table.upstream_for(table.match("GET", "/")).url == "http://10.0.0.5:9000"
    assert table.upstream_for(table.match("GET", "/connexion")).url == "http://127.0.0.1:8001"


def test_a_new_service_is_one_entry():
    table = routing_from_mapping({
        "upstreams": {"publication": {"url": "http://a"}, "stats": {"url": "http://b", "read_timeout": 5}},
        "routes": [{"prefix": "/", "upstream": "publication"},
                   {"prefix": "/statistiques", "upstream": "stats"}],
    }, environ={})
    route = table.match("GET", "/statistiques/2026")
    assert route.upstream == "stats" and table.upstream_for(route).read_timeout == 5.0
    assert table.match("GET", "/statistiques-x").upstream == "publication"


def test_a_route_to_an_unknown_upstream_is_refused_at_start():
    with pytest.raises(ValueError, match="unknown upstreams"):
        routing_from_mapping({"upstreams": {}, "routes": [{"prefix": "/", "upstream": "ghost"}]}, environ={})
    with pytest.raises(ValueError, match="unknown role"):
        routing_from_mapping({"upstreams": {"a": {"url": "http://a"}},
                              "routes": [{"prefix": "/", "upstream": "a", "role": "boss"}]}, environ={})
