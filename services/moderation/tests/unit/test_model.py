"""The state machine of a case, without any I/O."""
import datetime as dt

import pytest

from spplus.moderation.domain.model import (AWAITING_AUTHOR, CLAIM_DURATION, DECLINED, IN_REVIEW, PENDING, PUBLISHED,
                                            REJECTED, WITHDRAWN, Actor, Case, ForbiddenTransition, InvalidDecision)

NOW = dt.datetime(2026, 11, 30, 10, 0, tzinfo=dt.timezone.utc)
ALICE, BOB = Actor("alice", "Alice"), Actor("bob", "Bob")
WINDOW, REMIND = dt.timedelta(hours=72), dt.timedelta(hours=24)
TEXT = "Le guichet était ouvert et l'agent m'a bien renseigné sur les pièces à fournir pour mon dossier."


def new_case(state=PENDING) -> Case:
    return Case(experience_id="e1", title="Bon accueil", description=TEXT, original_title="Bon accueil",
                original_description=TEXT, path=[{"structure_code": "CAF30", "structure_name": "CAF", "channels": []}],
                submitted_at=NOW - dt.timedelta(days=1), opened_at=NOW, state=state)


def claimed() -> Case:
    case = new_case()
    case.claim(ALICE, NOW)
    return case


def proposed():
    case = claimed()
    proposal = case.propose_edit(ALICE, NOW, "p1", "Bon accueil", "Le guichet était ouvert.", "Plus court",
                                 WINDOW, REMIND)
    return case, proposal


def test_claim_then_publish_as_is():
    case = claimed()
    assert case.state == IN_REVIEW and case.claim_expires_at == NOW + CLAIM_DURATION
    outcome = case.publish(ALICE, NOW)
    assert case.state == PUBLISHED and case.claimed_by is None
    [(event_type, data)] = outcome.events
    assert event_type == "experience.published" and data["edited"] is False and data["published_at"] == NOW


def test_publish_with_minor_edits_is_marked_edited():
    case = claimed()
    outcome = case.publish(ALICE, NOW, "Bon accueil.", TEXT.replace("renseigné", "renseignée"))
    assert case.edited and outcome.events[0][1]["edited"] is True
    assert outcome.audit.before_description == TEXT and outcome.audit.after_description.endswith("dossier.")


def test_publish_refuses_a_substantial_edit():
    case = claimed()
    with pytest.raises(InvalidDecision, match="proposez-la à l'auteur"):
        case.publish(ALICE, NOW, None, "Un tout autre texte sur un autre sujet.")
    assert case.state == IN_REVIEW


def test_a_second_moderator_cannot_claim_until_the_claim_expires():
    case = claimed()
    with pytest.raises(ForbiddenTransition, match="déjà pris en charge par Alice"):
        case.claim(BOB, NOW + dt.timedelta(minutes=29))
    case.claim(BOB, NOW + CLAIM_DURATION + dt.timedelta(seconds=1))
    assert case.claimed_by == "bob"
    with pytest.raises(ForbiddenTransition, match="pris en charge par Bob"):
        case.publish(ALICE, NOW + dt.timedelta(minutes=31))


def test_only_the_holder_decides_and_may_do_so_after_expiry_if_nobody_took_over():
    case = claimed()
    with pytest.raises(ForbiddenTransition):
        case.reject(BOB, NOW, "spam")
    case.reject(ALICE, NOW + dt.timedelta(hours=2), "spam", "Publicité")
    assert case.state == REJECTED and case.reason_code == "spam"


def test_decisions_need_a_claim():
    case = new_case()
    for action in (lambda: case.publish(ALICE, NOW), lambda: case.reject(ALICE, NOW, "spam"),
                   lambda: case.propose_edit(ALICE, NOW, "p", "t", "d", None, WINDOW, REMIND)):
        with pytest.raises(ForbiddenTransition, match="Prenez d'abord ce dossier en charge"):
            action()


def test_reject_needs_a_policy_reason():
    case = claimed()
    with pytest.raises(InvalidDecision):
        case.reject(ALICE, NOW, "because")
    outcome = case.reject(ALICE, NOW, "duplicate")
    assert outcome.events[0][1]["reason_label"] == "Doublon"


def test_proposal_accepted_publishes_the_edited_text():
    case, proposal = proposed()
    assert case.state == AWAITING_AUTHOR and proposal.deadline == NOW + WINDOW
    assert proposal.remind_at == NOW + WINDOW - REMIND
    outcome = case.accept(proposal, NOW + dt.timedelta(hours=1))
    assert [t for t, _ in outcome.events] == ["experience.edit_accepted", "experience.published"]
    assert case.state == PUBLISHED and case.description == "Le guichet était ouvert." and case.edited
    with pytest.raises(ForbiddenTransition, match="déjà répondu"):
        case.decline(proposal, NOW + dt.timedelta(hours=2))


def test_proposal_declined_is_not_published():
    case, proposal = proposed()
    outcome = case.decline(proposal, NOW + dt.timedelta(hours=1))
    assert case.state == DECLINED and [t for t, _ in outcome.events] == ["experience.edit_declined"]


def test_answer_after_deadline_is_refused_and_expiry_publishes_once():
    case, proposal = proposed()
    with pytest.raises(ForbiddenTransition, match="pas encore écoulé"):
        case.expire(proposal, NOW + WINDOW - dt.timedelta(seconds=1))
    with pytest.raises(ForbiddenTransition, match="délai de réponse est dépassé"):
        case.accept(proposal, NOW + WINDOW)
    outcome = case.expire(proposal, NOW + WINDOW)
    assert [t for t, _ in outcome.events] == ["experience.edit_expired", "experience.published"]
    with pytest.raises(ForbiddenTransition):
        case.expire(proposal, NOW + WINDOW)


def test_identical_proposal_is_refused():
    case = claimed()
    with pytest.raises(InvalidDecision, match="identique"):
        case.propose_edit(ALICE, NOW, "p", case.title, case.description, None, WINDOW, REMIND)


def test_no_reminder_when_the_window_is_shorter_than_a_day():
    case = claimed()
    proposal = case.propose_edit(ALICE, NOW, "p", "T", "D", None, dt.timedelta(hours=3), REMIND)
    assert proposal.remind_at is None


def test_withdraw_only_published():
    case = claimed()
    with pytest.raises(ForbiddenTransition, match="Seule une expérience publiée"):
        case.withdraw(ALICE, NOW, "erreur")
    case.publish(ALICE, NOW)
    outcome = case.withdraw(BOB, NOW, "Signalement fondé")
    assert case.state == WITHDRAWN and outcome.events[0][0] == "experience.withdrawn"
    with pytest.raises(ForbiddenTransition):
        case.withdraw(BOB, NOW, "encore")


@pytest.mark.parametrize("state", [PUBLISHED, REJECTED, DECLINED, WITHDRAWN, AWAITING_AUTHOR])
def test_closed_or_waiting_cases_cannot_be_claimed(state):
    with pytest.raises(ForbiddenTransition):
        new_case(state).claim(ALICE, NOW)


def test_reassign_emits_an_event_only_once_published():
    case = claimed()
    outcome = case.reassign(ALICE, NOW, "CAF30", "CAF34", "CAF de l'Hérault")
    assert outcome.events == [] and case.path[0]["structure_code"] == "CAF34"
    case.publish(ALICE, NOW)
    outcome = case.reassign(BOB, NOW, "CAF34", "CAF30", "CAF du Gard")
    assert outcome.events[0][0] == "experience.reassigned" and outcome.events[0][1]["by"] == "moderation"
    with pytest.raises(InvalidDecision):
        case.reassign(BOB, NOW, "NOPE", "CAF11", None)


def test_release_returns_the_case_to_the_queue():
    case = claimed()
    with pytest.raises(ForbiddenTransition):
        case.release(BOB, NOW)
    case.release(ALICE, NOW)
    assert case.state == PENDING and case.claimed_by is None


def test_redacting_a_flagged_passage_is_a_minor_edit():
    text = "L'agent Jean Dupont m'a rappelé au 06 12 34 56 78 le lendemain pour finir mon dossier de retraite."
    case = new_case()
    case.description = case.original_description = text
    case.findings = [{"kind": "pii.phone", "start": 34, "end": 48, "suggestion": "[numéro de téléphone]",
                      "field": "description"}]
    case.claim(ALICE, NOW)
    redacted = text.replace("06 12 34 56 78", "[numéro de téléphone]")
    case.publish(ALICE, NOW, None, redacted)
    assert case.state == PUBLISHED and case.description == redacted
