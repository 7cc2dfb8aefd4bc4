"""The tracking page kept current from moderation's events; erasure; retention of IP hashes."""
import dataclasses
import datetime as dt

from sqlalchemy import func, select, update

from spplus.chassis.events import new_event
from spplus.submission.adapters.orm import author_contacts, author_ips, drafts, rate_windows
from spplus.submission.config import Config
from spplus.submission.service_layer import housekeeping




def submit(service, body):
    response = service.client.post("/api/v1/experiences", json=body,
                                   environ_base={"REMOTE_ADDR": "198.51.100.20"})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def page(service, url):
    response = service.client.get(url, headers={"Accept": "text/html"})
    return response, response.get_data(as_text=True)


def at(event_type, data, occurred_at):
    event = new_event(event_type, data, producer="moderation")
    return dataclasses.replace(event, occurred_at=occurred_at.isoformat())


def test_tracking_page_follows_moderation_in_order_and_out_of_order(service, payload):
    receipt = submit(service, payload())
    now = dt.datetime.now(dt.timezone.utc)  # decisions come after the submission
    url, experience_id = receipt["tracking_url"], receipt["id"]
    response, html = page(service, url)
    assert response.status_code == 200 and '<span id="status-label">Reçue</span>' in html
    assert response.headers["Referrer-Policy"] == "no-referrer" and "no-store" in response.headers["Cache-Control"]
    assert "Camille@example.fr" not in html

    started = at("experience.moderation_started", {"experience_id": experience_id, "opened_at": now.isoformat()},
                 now + dt.timedelta(seconds=5))
    service.publish(started.type, {}, event=started)
    service.consume()
    _, html = page(service, url)
    assert '<span id="status-label">En cours de modération</span>' in html

    proposed = at("experience.edit_proposed", {
        "experience_id": experience_id, "original_title": "a", "original_description": "b", "edited_title": "c",
        "edited_description": "d", "message": "Nous avons retiré un nom.",
        "deadline": (now + dt.timedelta(hours=72)).isoformat(), "approval_path": "/proposition/jeton-secret"},
        now + dt.timedelta(minutes=1))
    published = at("experience.published", {
        "experience_id": experience_id, "title": "c", "description": "d", "path": [], "submitted_at": now.isoformat(),
        "published_at": (now + dt.timedelta(minutes=3)).isoformat(), "edited": True}, now + dt.timedelta(minutes=3))
    accepted = at("experience.edit_accepted", {"experience_id": experience_id,
                                               "decided_at": (now + dt.timedelta(minutes=2)).isoformat()},
                  now + dt.timedelta(minutes=2))
    service.publish("experience.edit_proposed", {}, event=proposed)
    service.consume()
    _, html = page(service, url)
    assert "En attente de votre accord" in html and 'href="/proposition/jeton-secret"' in html
    assert "Nous avons retiré un nom." in html
    for event in (published, accepted, published):  # late and duplicated deliveries change nothing
        service.publish(event.type, {}, event=event)
    service.consume()
    _, html = page(service, url)
    assert "Publiée" in html and f'href="/experiences/{experience_id}"' in html

    rejected_other = at("experience.rejected", {
        "experience_id": "6f1c3f43-3b5a-4a43-9c9e-000000000000", "reason_code": "hors_sujet",
        "reason_label": "Hors sujet", "rejected_at": now.isoformat()}, now + dt.timedelta(minutes=5))
    service.publish(rejected_other.type, {}, event=rejected_other)  # not one of ours: ignored
    assert service.consume() == 1
    assert service.client.get("/suivi/jeton-inconnu", headers={"Accept": "text/html"}).status_code == 404

    # A rejection shows its reason.
    receipt = submit(service, payload(email="autre@example.fr"))
    service.deliver("experience.rejected", {"experience_id": receipt["id"], "reason_code": "donnees_personnelles",
                                            "reason_label": "Données personnelles", "message": "Un nom apparaît.",
                                            "rejected_at": dt.datetime.now(dt.timezone.utc).isoformat()})
    _, html = page(service, receipt["tracking_url"])
    assert "Non publiée" in html and "Données personnelles" in html and "Un nom apparaît." in html


def test_erasure_tells_everyone_and_erases_our_contact_data(service, payload):
    first = submit(service, payload())
    second = submit(service, payload(description=payload()["description"] + " Encore merci."))
    other = submit(service, payload(email="autre@example.fr"))
    service.published(3)
    service.spy.events.clear()
    client = service.client
    client.get(first["tracking_url"], headers={"Accept": "text/html"})  # sets the CSRF cookie
    token = client.get_cookie("spplus_csrf").value
    unconfirmed = client.post(first["tracking_url"] + "/effacement", data={"csrf_token": token})
    assert unconfirmed.status_code == 200 and "Cochez la case" in unconfirmed.get_data(as_text=True)
    assert client.post(first["tracking_url"] + "/effacement", data={"confirm": "oui"}).status_code == 403
    response = client.post(first["tracking_url"] + "/effacement", data={"csrf_token": token, "confirm": "oui"})
    assert response.status_code == 303
    [event] = service.published(1)
    assert event.type == "erasure.requested"
    assert event.data["email"] == "Camille@example.fr" and event.data["experience_id"] == first["id"]
    with service.database.unit_of_work() as session:
        contacts = {row.experience_id: row for row in session.execute(select(author_contacts))}
        ips = set(session.execute(select(author_ips.c.experience_id)).scalars())
    for erased in (first["id"], second["id"]):  # every story sent with that address
        assert contacts[erased].email is None and contacts[erased].postal_code is None
        assert contacts[erased].erased_at is not None and erased not in ips
    assert contacts[other["id"]].email == "autre@example.fr" and other["id"] in ips
    _, html = page(service, response.headers["Location"])
    assert "Vos coordonnées ont été effacées" in html and 'name="confirm"' not in html
    service.spy.events.clear()
    again = client.post(first["tracking_url"] + "/effacement", data={"csrf_token": token, "confirm": "oui"})
    assert again.status_code == 303 and service.published(1, timeout=0.5) == []


def test_purge_job_removes_ip_hashes_past_retention(make_service, payload):
    service = make_service(SUBMISSION_IP_RETENTION_DAYS=30)
    old, recent = submit(service, payload()), submit(service, payload(email="b@example.fr"))
    with service.database.unit_of_work() as session:
        session.execute(update(author_ips).where(author_ips.c.experience_id == old["id"])
                        .values(recorded_at=dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=31)))
        session.execute(rate_windows.insert().values(ip_hash="x" * 64, window_start=1, count=3))
        session.execute(drafts.insert().values(id="d-old", data={"email": "x@example.fr"},
                                               updated_at=dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=3)))
    housekeeping.purge_job(service.settings, service.database)
    with service.database.unit_of_work() as session:
        assert list(session.execute(select(author_ips.c.experience_id)).scalars()) == [recent["id"]]
        assert session.scalar(select(func.count()).select_from(rate_windows).where(rate_windows.c.window_start == 1)) == 0
        assert session.scalar(select(func.count()).select_from(drafts)) == 0
        # The story and its contact stay: only the IP hash had a retention.
        assert session.scalar(select(func.count()).select_from(author_contacts)) == 2
    assert Config.from_settings(service.settings).ip_retention_days == 30
    jobs = service.spec.jobs(service.settings, service.database)
    assert [job.name for job in jobs] == ["submission-purge"]


def test_structure_search_ignores_accents_and_finds_networks_and_postal_codes(service):
    def codes(query):
        response = service.client.get("/experiences/nouvelle/structures.json", query_string={"q": query})
        assert response.status_code == 200
        return [result["code"] for result in response.get_json()["results"]]

    assert codes("creteil") == ["CPAM94"]
    assert codes("ORLÉANS") == ["FT-ORLEANS"]
    assert codes("allocations") == ["CAF75"]
    assert codes("assurance maladie") == ["CPAM94"]
    assert codes("45000") == ["FT-ORLEANS"]
    assert codes("impots") == []  # inactive structures are not offered
    assert codes("%") == [] and codes("a") == [] and codes("creteil\x00") == ["CPAM94"]
    service.deliver("structure.upserted", {"code": "CPAM94", "name": "CPAM de Créteil", "network_code": "CPAM",
                                           "network_name": "Assurance maladie", "postal_code": "94010",
                                           "city": "Créteil", "active": True, "parent_code": None,
                                           "updated_at": (dt.datetime.now(dt.timezone.utc) + dt.timedelta(hours=1)).isoformat()})
    assert codes("94010") == ["CPAM94"] and codes("94000") == []
