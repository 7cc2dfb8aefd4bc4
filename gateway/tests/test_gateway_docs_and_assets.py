"""Combined OpenAPI at /api/docs (UI served locally), shared static assets, metrics and access log."""
import logging
import re
from importlib.resources import files

import pytest


def test_the_combined_document_holds_every_services_routed_operations(gateway):
    document = gateway.test_client().get("/api/docs/openapi.json").get_json()
    paths = document["paths"]
    owners = {(method, path): op["x-spplus-service"] for path, item in paths.items()
              for method, op in item.items()}
    assert owners == {
        ("get", "/api/v1/structures"): "identity",
        ("post", "/api/v1/auth/login"): "identity",
        ("post", "/api/v1/experiences"): "submission",
        ("get", "/api/v1/experiences"): "publication",  # identity's claim on it is dropped
        ("get", "/api/v1/experiences/{id}"): "publication",
        ("post", "/api/v1/responses/{id}/votes"): "publication",
        ("get", "/api/v1/moderation/cases"): "moderation",
        ("post", "/api/v1/proposals/{token}"): "moderation",
        ("get", "/api/v1/agent/responses"): "responses",
        ("post", "/api/v1/documents"): "documents",
        ("post", "/api/v1/panel/members"): "panel",
    }
    assert "x-spplus-unavailable" not in document
    assert {tag["name"] for tag in document["tags"]} == {"identity", "submission", "moderation", "publication",
                                                         "responses", "documents", "panel"}


def test_same_named_schemas_that_differ_are_renamed_with_their_references(gateway):
    document = gateway.test_client().get("/api/docs/openapi.json").get_json()
    schemas = document["components"]["schemas"]
    # Identical everywhere: kept once. Different: the first keeps the name, the others are prefixed.
    assert schemas["Error"] == {"type": "object", "properties": {"code": {"type": "integer"}}}
    assert schemas["Thing"]["properties"] == {"documents": {"type": "string"}}
    assert schemas["SubmissionThing"]["properties"] == {"submission": {"type": "string"}}
    submit = document["paths"]["/api/v1/experiences"]["post"]["responses"]
    assert submit["200"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/SubmissionThing"}
    assert submit["422"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}
    refs = str(document["paths"])
    for name in schemas:
        refs = refs.replace(f"#/components/schemas/{name}'", "")
    assert "#/components/schemas/" not in refs  # every reference points to an existing schema


def test_a_service_down_or_broken_leaves_the_rest_of_the_documentation(make_gateway, upstream_urls, upstreams,
                                                                       port_factory):
    upstreams["documents"][0].config["openapi_broken"] = True
    try:
        urls = {**upstream_urls, "panel": f"http://127.0.0.1:{port_factory()}"}
        document = make_gateway(urls).test_client().get("/api/docs/openapi.json").get_json()
    finally:
        upstreams["documents"][0].config["openapi_broken"] = False
    assert document["x-spplus-unavailable"] == ["documents", "panel"]
    assert "/api/v1/panel/members" not in document["paths"] and "/api/v1/structures" in document["paths"]


def test_the_documentation_page_uses_only_local_assets(gateway):
    client = gateway.test_client()
    html = client.get("/api/docs").get_data(as_text=True)
    assert '<html lang="fr">' in html and "Documentation de l'API" in html
    assert "http://" not in html and "https://" not in html and "<script>" not in html and "style=" not in html

    sources = re.findall(r'(?:src|href)="(/[^"]+)"', html)
    assert any("swagger-ui-bundle.js" in source for source in sources)
    for source in sources:
        response = client.get(source)
        assert response.status_code == 200, source
        if "/api/docs/assets/" in source or source.startswith("/static/"):
            assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable", source


def test_documentation_renders_in_a_browser_under_the_strict_csp(gateway, live_server, page):
    door = live_server(gateway)
    violations = []
    page.on("console", lambda message: violations.append(message.text)
            if "Content Security Policy" in message.text else None)
    page.goto(door.url + "/api/docs")
    page.wait_for_selector(".opblock-summary-path", timeout=20000)
    text = page.inner_text("#swagger-ui")
    assert "/api/v1/moderation/cases" in text and "/api/v1/documents" in text
    assert violations == []


def test_shared_assets_are_fingerprinted_and_cached_for_good(gateway):
    client = gateway.test_client()
    manifest = client.get("/static/spplus/manifest.json").get_json()
    assert set(manifest) >= {"spplus.css", "spplus.js", "favicon.svg", "icon-check.svg"}
    chassis_css = files("spplus.chassis").joinpath("static/spplus.css").read_bytes()
    fingerprinted = client.get(manifest["spplus.css"])
    assert fingerprinted.status_code == 200 and fingerprinted.data == chassis_css
    assert fingerprinted.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert fingerprinted.mimetype == "text/css"
    assert manifest["spplus.js"].endswith(".js") and client.get(manifest["spplus.js"]).mimetype in (
        "text/javascript", "application/javascript")
    # The plain name the services' layout links keeps working, revalidated.
    plain = client.get("/static/spplus/spplus.css")
    assert plain.data == chassis_css and plain.headers["Cache-Control"] == "public, max-age=300"
    assert client.get("/static/spplus/spplus.css", headers={"If-None-Match": plain.headers["ETag"]}).status_code == 304
    assert client.get("/static/spplus/nothing.css").status_code == 404


@pytest.mark.parametrize("path", ["/healthz", "/static/spplus/spplus.css"])
def test_gateway_pages_are_not_forwarded(gateway, upstreams, path):
    before = upstreams["publication"][0].config["calls"]
    assert gateway.test_client().get(path).status_code == 200
    assert upstreams["publication"][0].config["calls"] == before


def test_metrics_per_route_and_upstream(gateway):
    client = gateway.test_client()
    client.get("/experiences/1")
    client.post("/api/v1/experiences", json={})
    metrics = client.get("/metrics").get_data(as_text=True)
    assert ('spplus_gateway_request_duration_seconds_count{method="GET",route="ANY /",status="200",'
            'upstream="publication"}') in metrics
    assert ('spplus_gateway_request_duration_seconds_count{method="POST",route="POST /api/v1/experiences$",'
            'status="200",upstream="submission"}') in metrics


def test_the_access_log_names_the_route_never_the_path_or_the_client(gateway, caplog):
    client = gateway.test_client()
    with caplog.at_level(logging.INFO, logger="spplus.access"):
        client.get("/suivi/jeton-secret-de-l-auteur?email=a%40b.fr", headers={"X-Forwarded-For": "203.0.113.9",
                                                                              "X-Request-ID": "req-log"})
    [record] = [r for r in caplog.records if r.name == "spplus.access"]
    assert (record.route, record.upstream, record.status, record.method) == ("ANY /suivi", "submission", 200, "GET")
    flat = str(record.__dict__)
    assert "jeton-secret" not in flat and "a%40b.fr" not in flat and "127.0.0.1" not in flat
    assert "203.0.113.9" not in flat
