"""POST /api/v1/experiences on the real database and broker."""
import datetime as dt

from sqlalchemy import func, select

from spplus.submission.adapters.orm import author_contacts, author_ips, experiences
from spplus.submission.bootstrap import spec


def post(service, body, ip="198.51.100.7", **kwargs):
    return service.client.post("/api/v1/experiences", json=body, environ_base={"REMOTE_ADDR": ip}, **kwargs)


def test_a_story_is_stored_apart_from_its_author_and_announced_once(service, payload):
    response = post(service, payload(description="  " + payload()["description"] + "\x07 "),
                    headers={"X-Request-ID": "req-sub-1"})
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["status"] == "submitted" and body["tracking_url"].startswith("/suivi/")
    [event] = service.published(1)
    assert event.type == "experience.submitted" and event.producer == "submission"
    assert event.correlation_id == "req-sub-1"
    data = event.data
    assert data["experience_id"] == body["id"]
    assert data["tracking_path"] == body["tracking_url"]
    assert data["email"] == "Camille@example.fr" and data["postal_code"] == "75019" and data["city"] is None
    assert data["description"] == payload()["description"]
    assert data["path"] == [{"structure_code": "CAF75", "structure_name": "Caisse d'allocations familiales de Paris",
                             "channels": [{"channel": "telephone", "feeling": "positive"}]}]
    assert set(data) == {"experience_id", "title", "description", "feeling", "experienced_on", "path", "pseudonym",
                         "postal_code", "city", "email", "tracking_path", "submitted_at"}
    with service.database.unit_of_work() as session:
        story = session.execute(select(experiences)).mappings().one()
        contact = session.execute(select(author_contacts)).mappings().one()
        ip = session.execute(select(author_ips)).mappings().one()
    assert "Camille@example.fr" not in str(dict(story)) and story["status"] == "submitted"
    assert contact["email"] == "Camille@example.fr"
    assert len(ip["ip_hash"]) == 64 and "198.51.100.7" not in str(dict(ip))


def test_every_invalid_field_gets_a_french_message_in_one_answer(service, payload):
    response = post(service, payload(title="Oui", description="Court.", experienced_on="2999-01", email="x@",
                                     postal_code=None, accept_terms=False,
                                     path=[{"structure": "SIP-OLD", "channels": [{"channel": "pigeon"}]},
                                           {"structure": "INCONNU", "channels": []}]))
    assert response.status_code == 422
    body = response.get_json()
    assert body["status"] == "Données invalides"
    errors = body["errors"]["json"]
    assert set(errors) == {"title", "description", "experienced_on", "email", "postal_code", "city", "accept_terms",
                           "path"}
    assert errors["path"]["0"]["structure"] == [
        "La structure « Service des impôts fermé » n'est plus active : choisissez-en une autre."]
    assert errors["path"]["0"]["channels"]["0"]["channel"][0].startswith("Canal de contact inconnu")
    assert errors["path"]["1"] == {"structure": ["Cette structure n'existe pas dans le référentiel."],
                                   "channels": ["Indiquez au moins un moyen de contact utilisé avec cette structure."]}
    honeypot = post(service, payload(website="http://spam.example"))
    assert honeypot.status_code == 422
    assert honeypot.get_json()["errors"]["json"] == {"website": ["Ce champ doit rester vide."]}
    assert service.published(1, timeout=0.5) == []


def test_malformed_bodies_are_4xx_never_5xx(service, payload):
    client = service.client
    cases = [
        client.post("/api/v1/experiences", data="{pas du json", content_type="application/json"),
        client.post("/api/v1/experiences", json=[payload()]),
        client.post("/api/v1/experiences", json="texte"),
        client.post("/api/v1/experiences", json=payload(title=12, path="CAF75")),
        client.post("/api/v1/experiences", json=payload(path=[["CAF75"]])),
        client.post("/api/v1/experiences", json=payload(admin=True)),
        client.post("/api/v1/experiences", json=payload(path=[{"structure": "CAF75", "canaux": []}])),
        client.post("/api/v1/experiences", json=payload(accept_terms="peut-être")),
        client.post("/api/v1/experiences", json=payload(description="x" * 40_000)),
        client.post("/api/v1/experiences", data="title=a", content_type="application/x-www-form-urlencoded"),
        client.post("/api/v1/experiences", json=payload(path=[{"structure": "CAF75", "channels": [{}]}] * 200)),
        client.post("/api/v1/experiences", data='{"title": "\\ud800", "path": [{"structure": "\\udfff"}]}',
                    content_type="application/json"),
        client.post("/api/v1/experiences", json=payload(path=[{"structure": "CAF\x0075", "channels": []}])),
        client.put("/api/v1/experiences", json=payload()),
    ]
    statuses = [response.status_code for response in cases]
    assert all(400 <= status < 500 for status in statuses), statuses
    assert statuses[:9] == [400, 422, 422, 422, 422, 422, 422, 422, 413]
    for response in cases:
        assert response.is_json and response.get_json()["message"]
    unknown = cases[5].get_json()["errors"]["json"]
    assert unknown == {"admin": ["Champ inconnu."]}
    # The same schema documents the endpoint.
    spec_json = service.client.get("/openapi.json").get_json()
    operation = spec_json["paths"]["/api/v1/experiences"]["post"]
    assert set(operation["responses"]) >= {"200", "201", "422", "429"}
    fields = spec_json["components"]["schemas"]["ExperienceCreate"]["properties"]
    assert fields["title"]["type"] == "string" and "website" in fields


def test_same_email_and_description_within_24_hours_is_the_first_story(service, payload):
    first = post(service, payload())
    again = post(service, payload(email="camille@EXAMPLE.fr", title="Autre titre", pseudonym=None))
    assert first.status_code == 201 and again.status_code == 200
    assert again.get_json() == first.get_json()
    other = post(service, payload(email="dominique@example.fr"))
    assert other.status_code == 201 and other.get_json()["id"] != first.get_json()["id"]
    assert len(service.published(3, timeout=2)) == 2

    # A day later, the same text is a new story.
    from spplus.submission.config import Config
    from spplus.submission.service_layer import submissions

    config = Config.from_settings(service.settings)
    yesterday = dt.datetime.now(dt.timezone.utc) - dt.timedelta(hours=25)
    old = submissions.submit(service.database, config, payload(email="eve@example.fr"), "203.0.113.1", now=yesterday)
    new = submissions.submit(service.database, config, payload(email="eve@example.fr"), "203.0.113.1")
    assert old.created and new.created and old.experience_id != new.experience_id


def test_per_ip_limit_holds_across_processes(make_service, payload):
    service = make_service(SUBMISSION_RATE_LIMIT=3)
    other_process = spec.create_app(service.settings, type(service.database)(service.settings.database_url))
    clients = [service.client, other_process.test_client()]
    statuses = []
    for n in range(5):
        response = clients[n % 2].post("/api/v1/experiences", json=payload(email=f"p{n}@example.fr"),
                                       environ_base={"REMOTE_ADDR": "192.0.2.10"})
        statuses.append(response.status_code)
    assert statuses == [201, 201, 201, 429, 429]
    refused = response.get_json()
    assert refused["status"] == "Trop de requêtes" and "réessayer dans une heure" in refused["message"]
    assert response.headers["Retry-After"] == "3600"
    # Another address is not limited; the gateway's X-Forwarded-For gives the citizen's address.
    assert post(service, payload(email="q@example.fr"), ip="192.0.2.11").status_code == 201
    forwarded = service.client.post("/api/v1/experiences", json=payload(email="r@example.fr"),
                                    environ_base={"REMOTE_ADDR": "10.0.0.2"},
                                    headers={"X-Forwarded-For": "192.0.2.10"})
    assert forwarded.status_code == 429
    with service.database.unit_of_work() as session:
        assert session.scalar(select(func.count()).select_from(experiences)) == 4


def test_structures_follow_identity_events(service, payload):
    service.deliver("structure.retired", {"code": "CAF75", "updated_at": dt.datetime.now(dt.timezone.utc).isoformat()})
    response = post(service, payload())
    assert response.status_code == 422
    assert "n'est plus active" in response.get_json()["errors"]["json"]["path"]["0"]["structure"][0]


def test_the_same_story_sent_concurrently_is_stored_once(service, payload):
    from concurrent.futures import ThreadPoolExecutor

    def send(_):
        return post(service, payload())

    with ThreadPoolExecutor(max_workers=6) as pool:
        responses = list(pool.map(send, range(6)))
    assert sorted(r.status_code for r in responses) == [200] * 5 + [201]
    assert len({r.get_json()["id"] for r in responses}) == 1
    with service.database.unit_of_work() as session:
        assert session.scalar(select(func.count()).select_from(experiences)) == 1


