"""The 72-hour approval: signed single-use links, answers, reminder, deadline exactly once."""
import datetime as dt

from sqlalchemy import select

from spplus.moderation.adapters.tables import audit_entries, proposals
from spplus.moderation.bootstrap import moderation_for, spec
from spplus.moderation.domain.model import Actor

ALICE = Actor("alice", "Alice")


def propose(moderation, submitted, moderator, **edits):
    data = submitted()
    moderation.deliver("experience.submitted", data)
    url = f"/api/v1/moderation/cases/{data['experience_id']}"
    alice = moderator()
    moderation.client.post(f"{url}/claim", headers=alice)
    payload = {"title": "Un accueil attentif", "description": "L'agent de la CAF m'a tout expliqué.",
               "message": "Nous avons raccourci votre récit.", **edits}
    response = moderation.client.post(f"{url}/propose-edit", json=payload, headers=alice)
    assert response.status_code == 200, response.get_data(as_text=True)
    return data, response.get_json()


def token_of(event) -> str:
    assert event.data["approval_path"].startswith("/proposition/")
    return event.data["approval_path"].removeprefix("/proposition/")


def test_proposal_then_acceptance_publishes_the_edited_text(moderation, submitted, moderator, emitted):
    data, case = propose(moderation, submitted, moderator)
    assert case["state"] == "awaiting_author" and case["proposal"]["status"] == "open"
    [proposed] = emitted(moderation, 1)
    assert proposed.type == "experience.edit_proposed" and proposed.data["original_description"] == data["description"]
    deadline = dt.datetime.fromisoformat(proposed.data["deadline"])
    assert abs((deadline - dt.datetime.now(dt.timezone.utc)).total_seconds() - 259200) < 120
    token = token_of(proposed)
    shown = moderation.client.get(f"/api/v1/proposals/{token}").get_json()
    assert shown["edited_description"] == "L'agent de la CAF m'a tout expliqué." and shown["status"] == "open"
    answer = moderation.client.post(f"/api/v1/proposals/{token}", json={"decision": "accept"})
    assert answer.status_code == 200 and answer.get_json()["status"] == "accepted"
    events = emitted(moderation, 3)
    assert [e.type for e in events] == ["experience.edit_proposed", "experience.edit_accepted", "experience.published"]
    assert events[2].data["description"] == "L'agent de la CAF m'a tout expliqué." and events[2].data["edited"] is True
    again = moderation.client.post(f"/api/v1/proposals/{token}", json={"decision": "decline"})
    assert again.status_code == 409 and again.get_json()["message"] == "Vous avez déjà répondu à cette proposition."


def test_declined_proposal_is_not_published(moderation, submitted, moderator, emitted):
    data, _case = propose(moderation, submitted, moderator)
    token = token_of(emitted(moderation, 1)[0])
    response = moderation.client.post(f"/api/v1/proposals/{token}", json={"decision": "decline"})
    assert response.status_code == 200
    events = emitted(moderation, 2)
    assert [e.type for e in events] == ["experience.edit_proposed", "experience.edit_declined"]
    case = moderation.client.get(f"/api/v1/moderation/cases/{data['experience_id']}", headers=moderator()).get_json()
    assert case["state"] == "declined_by_author"
    assert [entry["action"] for entry in case["audit"]] == ["open", "claim", "propose_edit", "edit_declined"]


def test_forged_or_malformed_links_are_refused(moderation, submitted, moderator, emitted):
    propose(moderation, submitted, moderator)
    token = token_of(emitted(moderation, 1)[0])
    for bad in (token[:-3] + "abc", "nimportequoi", "x" * 600):
        response = moderation.client.get(f"/api/v1/proposals/{bad}")
        assert response.status_code == 404 and "lien n'est pas valide" in response.get_json()["message"]
    invalid = moderation.client.post(f"/api/v1/proposals/{token}", json={"decision": "maybe"})
    assert invalid.status_code == 422


def test_answer_after_the_deadline_gets_a_clear_message_and_publishes_once(moderation, submitted, moderator, emitted):
    propose(moderation, submitted, moderator)
    token = token_of(emitted(moderation, 1)[0])
    service = moderation.app.extensions["moderation"]
    service.clock = lambda: dt.datetime.now(dt.timezone.utc) + dt.timedelta(hours=73)
    page = moderation.client.get(f"/proposition/{token}").get_data(as_text=True)
    assert "Le délai de réponse est dépassé" in page and "J'accepte la modification" not in page
    late = moderation.client.post(f"/api/v1/proposals/{token}", json={"decision": "decline"})
    assert late.status_code == 410 and "délai de réponse est dépassé" in late.get_json()["message"]
    assert moderation.client.post(f"/api/v1/proposals/{token}", json={"decision": "accept"}).status_code == 410
    assert moderation_for(moderation.settings, moderation.database).process_deadlines(service.clock()) == 0
    events = emitted(moderation, 3)
    assert [e.type for e in events] == ["experience.edit_proposed", "experience.edit_expired", "experience.published"]


def test_overdue_proposals_are_published_by_a_restarted_worker(make_harness, analysis_ready, auth_keys,
                                                               submitted, moderator, emitted):
    harness = make_harness(spec, AUTH_PUBLIC_KEY=auth_keys.public_pem, MODERATION_APPROVAL_WINDOW_SECONDS=1)
    harness.consumer  # noqa: B018
    data, _case = propose(harness, submitted, moderator)
    with harness.database.unit_of_work() as session:
        deadline = session.execute(select(proposals.c.deadline)).scalar_one()
    assert deadline.tzinfo is not None
    # The worker was down at the deadline; a new one starts later and runs its scheduled jobs.
    while dt.datetime.now(dt.timezone.utc) < deadline:
        pass
    restarted = spec.jobs(harness.settings, harness.database)
    assert {job.name for job in restarted} == {"proposal-deadlines", "proposal-reminders", "analysis-retry"}
    for _ in range(2):  # the jobs run again and again: nothing more happens
        for job in restarted:
            job.run(harness.settings, harness.database)
    events = emitted(harness, 3)
    assert [e.type for e in events] == ["experience.edit_proposed", "experience.edit_expired", "experience.published"]
    assert events[2].data["experience_id"] == data["experience_id"]
    with harness.database.unit_of_work() as session:
        actions = session.execute(select(audit_entries.c.action, audit_entries.c.actor_name)).all()
    assert ("edit_expired", "système") in [tuple(row) for row in actions]


def test_reminder_a_day_before_the_deadline_once(moderation, submitted, moderator, emitted):
    propose(moderation, submitted, moderator)
    [proposed] = emitted(moderation, 1)
    deadline = dt.datetime.fromisoformat(proposed.data["deadline"])
    service = moderation_for(moderation.settings, moderation.database)
    assert service.send_reminders(deadline - dt.timedelta(hours=25)) == 0
    assert service.send_reminders(deadline - dt.timedelta(hours=23)) == 1
    assert service.send_reminders(deadline - dt.timedelta(hours=22)) == 0
    events = emitted(moderation, 2)
    assert events[1].type == "experience.edit_reminder"
    assert events[1].data["approval_path"] == proposed.data["approval_path"]
