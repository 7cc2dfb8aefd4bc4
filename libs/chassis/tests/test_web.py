"""The app factory: French errors in one shape, request ids, probes, headers."""
import dataclasses


def test_validation_errors_are_french_per_field(sample):
    response = sample.client.post("/api/v1/things", json={"name": "x", "other": 1})
    body = response.get_json()
    assert response.status_code == 422
    assert body["code"] == 422 and body["status"] == "Données invalides"
    assert body["errors"]["json"]["name"] == ["Doit contenir entre 2 et 100 caractères."]
    assert body["errors"]["json"]["other"] == ["Champ inconnu."]


def test_malformed_input_is_a_4xx_never_a_5xx(sample):
    client = sample.client
    cases = [
        client.post("/api/v1/things", data="{not json", content_type="application/json"),
        client.post("/api/v1/things", json=[1, 2]),
        client.post("/api/v1/things", json={"name": 12}),
        client.post("/api/v1/things", data="x" * 70_000, content_type="application/json"),
        client.delete("/api/v1/things"),
        client.get("/api/v1/nothing-here"),
    ]
    assert [r.status_code for r in cases] == [400, 422, 422, 413, 405, 404]
    for response in cases:
        assert response.is_json and "Traceback" not in response.get_data(as_text=True)
        assert response.get_json()["message"]


def test_html_errors_are_french_pages(sample):
    response = sample.client.get("/page-inconnue", headers={"Accept": "text/html"})
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert '<html lang="fr">' in html and "Page introuvable" in html


def test_unexpected_errors_are_500_without_trace(sample):
    @sample.app.get("/boom")
    def boom():
        raise ZeroDivisionError("secret detail")

    response = sample.client.get("/boom", headers={"Accept": "application/json"})
    assert response.status_code == 500
    assert "secret detail" not in response.get_data(as_text=True)
    assert response.get_json()["status"] == "Erreur interne"


def test_request_id_is_passed_on_or_created(sample):
    assert sample.client.get("/healthz", headers={"X-Request-ID": "abc-123"}).headers["X-Request-ID"] == "abc-123"
    assert len(sample.client.get("/healthz").headers["X-Request-ID"]) == 36


def test_request_id_becomes_the_events_correlation_id(sample):
    sample.client.post("/api/v1/things", json={"name": "lampe"}, headers={"X-Request-ID": "req-42"})
    [event] = sample.published(1)
    assert event.correlation_id == "req-42"


def test_probes_and_metrics(sample):
    ready = sample.client.get("/readyz")
    assert ready.status_code == 200 and ready.get_json()["checks"] == {"database": "ok", "broker": "ok"}
    sample.client.get("/healthz")
    metrics = sample.client.get("/metrics").get_data(as_text=True)
    assert "spplus_http_request_duration_seconds" in metrics


def test_readyz_reports_a_broker_that_does_not_answer(sample):
    dead = dataclasses.replace(sample.settings, amqp_url="amqp://guest:guest@127.0.0.1:1/%2F")
    app = sample.spec.create_app(dead, sample.database)
    response = app.test_client().get("/readyz")
    assert response.status_code == 503 and response.get_json()["checks"]["broker"].startswith("error")


def test_security_headers(sample):
    headers = sample.client.get("/healthz").headers
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
