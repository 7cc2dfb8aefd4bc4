"""The local run's default database: the same rules on SQLite (portable SQL, upserts, search)."""
import datetime as dt

from spplus.submission.bootstrap import spec


def test_the_service_works_on_sqlite(make_harness, tmp_path, payload):
    service = make_harness(spec, SUBMISSION_DATABASE_URL=f"sqlite:///{tmp_path / 'submission.db'}",
                           SUBMISSION_RATE_LIMIT=2)
    service.deliver("structure.upserted", {"code": "CAF75", "name": "Caisse d'allocations familiales de Paris",
                                           "network_code": "CAF", "network_name": "Caisse d'allocations familiales",
                                           "postal_code": "75019", "city": "Paris", "active": True,
                                           "parent_code": None, "updated_at": dt.datetime.now(dt.timezone.utc).isoformat()})
    found = service.client.get("/experiences/nouvelle/structures.json?q=caisse%20ALLOCATIONS")
    assert [r["code"] for r in found.get_json()["results"]] == ["CAF75"]

    def post(body):
        return service.client.post("/api/v1/experiences", json=body, environ_base={"REMOTE_ADDR": "192.0.2.50"})

    first = post(payload())
    assert first.status_code == 201, first.get_json()
    assert post(payload()).get_json()["id"] == first.get_json()["id"]
    assert post(payload(email="b@example.fr")).status_code == 201
    assert post(payload(email="c@example.fr")).status_code == 429
    service.deliver("experience.rejected", {"experience_id": first.get_json()["id"], "reason_code": "spam",
                                            "reason_label": "Publicité", "rejected_at": dt.datetime.now(dt.timezone.utc).isoformat()})
    page = service.client.get(first.get_json()["tracking_url"]).get_data(as_text=True)
    assert "Non publiée" in page and "Publicité" in page
    # The spy also saw the two events this test delivered as identity and moderation.
    events = service.published(4, types=("experience.submitted",))
    assert len(events) == 2
