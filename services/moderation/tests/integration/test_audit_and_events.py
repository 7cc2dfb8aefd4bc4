"""The audit trail cannot be rewritten; erasures and events arriving out of order."""
import pytest
from sqlalchemy import delete, select, update
from sqlalchemy.exc import DBAPIError

from spplus.moderation.adapters.tables import audit_entries, cases


def test_audit_entries_cannot_be_updated_or_deleted(moderation, submitted, moderator):
    data = submitted()
    moderation.deliver("experience.submitted", data)
    moderation.client.post(f"/api/v1/moderation/cases/{data['experience_id']}/claim", headers=moderator())
    for statement in (update(audit_entries).values(actor_name="quelqu'un d'autre"), delete(audit_entries)):
        with pytest.raises(DBAPIError, match="append-only"):
            with moderation.database.unit_of_work() as session:
                session.execute(statement)
    with moderation.database.unit_of_work() as session:
        names = session.execute(select(audit_entries.c.actor_name)).scalars().all()
    assert names == ["système", "Alice Modératrice"]


def test_erasure_before_or_after_the_submission_removes_the_contact_data(moderation, submitted, moderator):
    first, second = submitted(), submitted()
    moderation.deliver("experience.submitted", first)
    for data in (first, second):
        moderation.deliver("erasure.requested", {"email": data["email"], "experience_id": data["experience_id"],
                                                 "requested_at": "2026-11-30T10:00:00+00:00"})
    moderation.deliver("experience.submitted", second)  # arrives after its erasure
    with moderation.database.unit_of_work() as session:
        rows = session.execute(select(cases.c.postal_code, cases.c.city, cases.c.pseudonym)).all()
    assert [tuple(row) for row in rows] == [(None, None, "Camille"), (None, None, "Camille")]


def test_structures_arriving_out_of_order_keep_the_newest(moderation, submitted, moderator):
    newer = {"code": "CAF34", "name": "CAF de l'Hérault", "network_code": "CAF", "network_name": "CAF",
             "active": True, "updated_at": "2026-06-01T00:00:00+00:00"}
    moderation.deliver("structure.upserted", newer)
    moderation.deliver("structure.upserted", {**newer, "name": "Ancien nom", "updated_at": "2026-01-01T00:00:00+00:00"})
    data = submitted()
    moderation.deliver("experience.submitted", data)
    url = f"/api/v1/moderation/cases/{data['experience_id']}"
    alice = moderator()
    moderation.client.post(f"{url}/claim", headers=alice)
    moved = moderation.client.post(f"{url}/structures", headers=alice,
                                   json={"from_structure_code": "CAF30", "to_structure_code": "CAF34"})
    assert moved.get_json()["path"][0]["structure_name"] == "CAF de l'Hérault"


def test_checks_that_failed_are_run_again_by_the_worker(moderation, submitted):
    from spplus.moderation.bootstrap import moderation_for

    data = submitted(description="Mon conseiller m'a rappelé au 06 12 34 56 78 le lendemain, très aimable.")
    moderation.deliver("experience.submitted", data)
    with moderation.database.unit_of_work() as session:  # as if the checks had failed when the case opened
        session.execute(update(cases).values(findings=[], finding_count=0, analysis_status="failed"))
    assert moderation_for(moderation.settings, moderation.database).retry_failed_analyses() == 1
    with moderation.database.unit_of_work() as session:
        row = session.execute(select(cases.c.findings, cases.c.finding_count, cases.c.analysis_status)).one()
    assert row.analysis_status == "done" and row.finding_count == len(row.findings) >= 1
    assert "pii.phone" in {finding["kind"] for finding in row.findings}
