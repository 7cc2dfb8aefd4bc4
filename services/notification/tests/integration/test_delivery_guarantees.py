"""Nothing lost, nothing sent twice, nothing kept that should not be: on the real servers."""
from __future__ import annotations

import logging
import threading
import time

from click.testing import CliRunner
from spplus.chassis.cli import make_cli
from spplus.chassis.testing import json_body
from spplus.notification.adapters.tables import contacts, mails
from spplus.notification.bootstrap import spec
from spplus.notification.service_layer.failures import list_failures
from sqlalchemy import select, text


def rows(notification, *columns):
    with notification.harness.database.unit_of_work() as session:
        return session.execute(select(*columns) if columns else select(mails)).all()


def send_until(notification, predicate, timeout: float = 5.0):
    """Run the sender until ``predicate(report)`` holds (retries wait a few tens of milliseconds)."""
    deadline = time.monotonic() + timeout
    while True:
        report = notification.send()
        if predicate(report) or time.monotonic() > deadline:
            return report
        time.sleep(0.05)


def test_smtp_server_down_while_sending_then_back_the_mail_goes_out_once(make_notification, smtp_server, submitted):
    sink = smtp_server()
    notification = make_notification(sink.url)
    sink.stop()  # the server goes down before the mail is sent
    notification.deliver("experience.submitted", submitted())
    report = notification.send()
    assert (report.sent, report.retried) == (0, 1)
    [row] = rows(notification)
    assert row.status == "pending" and row.attempts == 1 and "connexion SMTP impossible" in row.last_error
    with notification.harness.database.unit_of_work() as session:
        assert list_failures(session) == []
        assert [failure.id for failure in list_failures(session, include_retrying=True)] == [row.id]
    report = send_until(notification, lambda r: r.retried >= 1)  # still down: retried again, later
    [row] = rows(notification)
    assert row.attempts >= 2 and row.status == "pending"

    sink.start()  # back, on the same port
    report = send_until(notification, lambda r: r.sent == 1)
    assert report.sent == 1
    assert len(sink.wait_for(1)) == 1
    assert notification.send().attempted == 0
    [row] = rows(notification)
    assert row.status == "sent" and row.sent_at is not None


def test_temporary_refusal_is_retried_with_growing_delays(make_notification, smtp_server, submitted):
    sink = smtp_server()
    notification = make_notification(sink.url, NOTIFICATION_RETRY_BASE_SECONDS="0.2",
                                     NOTIFICATION_RETRY_MAX_SECONDS="10")
    story = submitted(email="greylisted@example.org")
    sink.next_answers[story["email"]] = ["451 4.7.1 Greylisted, try again later", "452 4.2.2 Mailbox full"]
    notification.deliver("experience.submitted", story)
    first = notification.send()
    [row] = rows(notification)
    first_delay = (row.next_attempt_at - row.updated_at).total_seconds()
    assert first.retried == 1 and row.last_error.startswith("451")
    time.sleep(first_delay + 0.05)
    assert notification.send().retried == 1
    [row] = rows(notification)
    second_delay = (row.next_attempt_at - row.updated_at).total_seconds()
    assert row.attempts == 2 and row.last_error.startswith("452")
    assert 0.15 < first_delay < 0.3 and 0.35 < second_delay < 0.5
    time.sleep(second_delay + 0.05)
    assert notification.send().sent == 1
    assert len(sink.wait_for(1)) == 1


def test_permanent_refusal_is_recorded_listed_and_can_be_resent(make_notification, smtp_server, submitted, caplog,
                                                                auth_keys):
    caplog.set_level(logging.DEBUG)
    sink = smtp_server()
    notification = make_notification(sink.url, AUTH_PUBLIC_KEY=auth_keys.public_pem)
    story = submitted(email="inconnu.total@example.org")
    sink.refused[story["email"]] = "550 5.1.1 <inconnu.total@example.org>: Recipient address rejected"
    notification.deliver("experience.submitted", story)
    notification.deliver("experience.rejected", {"experience_id": story["experience_id"], "reason_code": "spam",
                                                 "reason_label": "Publicité",
                                                 "rejected_at": "2026-12-01T10:00:00+00:00"})
    report = notification.send()
    assert (report.sent, report.failed) == (0, 2)
    assert notification.send().attempted == 0  # never retried by itself

    with notification.harness.database.unit_of_work() as session:
        failures = list_failures(session)
    assert len(failures) == 2
    assert {failure.recipient for failure in failures} == {"i…@example.org"}
    assert all(failure.last_error.startswith("550 5.1.1 <adresse masquée>") for failure in failures)

    cli = make_cli(spec)
    listed = CliRunner().invoke(cli, ["failures"], obj=spec)
    assert listed.exit_code == 0, listed.output
    assert failures[0].id in listed.output and "inconnu.total" not in listed.output

    client = notification.harness.client
    assert client.get("/healthz").status_code == 200 and client.get("/readyz").status_code == 200
    assert client.get("/api/v1/notification/failures").status_code == 401
    assert client.get("/api/v1/notification/failures", headers=auth_keys.headers(roles=["agent"])).status_code == 403
    response = client.get("/api/v1/notification/failures", headers=auth_keys.headers(roles=["admin"]))
    assert response.status_code == 200
    listed_by_api = json_body(response)
    assert {item["recipient"] for item in listed_by_api} == {"i…@example.org"}
    assert {item["template"] for item in listed_by_api} == {"received", "rejected"}
    bad = client.get("/api/v1/notification/failures?retrying=peut-etre", headers=auth_keys.headers(roles=["admin"]))
    assert bad.status_code == 422 and json_body(bad)["errors"]

    del sink.refused[story["email"]]
    resent = CliRunner().invoke(cli, ["resend", failures[0].id], obj=spec)
    assert resent.exit_code == 0, resent.output
    assert notification.send().sent == 1
    [message] = sink.wait_for(1)
    assert message["To"] == story["email"]
    again = CliRunner().invoke(cli, ["resend", failures[0].id], obj=spec)
    assert again.exit_code != 0 and "ne peut pas être renvoyé" in again.output

    # No address in any log line of the whole journey.
    ours = [record for record in caplog.records if record.name.startswith("spplus")]
    assert any(record.getMessage() == "mail refused for good" for record in ours)
    for record in ours:
        assert "@example.org" not in record.getMessage()
        assert "@example.org" not in str(record.__dict__), record.__dict__


def test_erasure_cancels_what_is_unsent_and_silences_later_events(make_notification, smtp_server, submitted):
    sink = smtp_server()
    notification = make_notification(sink.url)
    story = submitted(email="Effacez.Moi@example.org")
    notification.deliver("experience.submitted", story)
    notification.deliver("erasure.requested", {"email": "effacez.moi@example.org", "experience_id": None,
                                               "requested_at": "2026-12-01T10:00:00+00:00"})
    notification.deliver("experience.published", {
        "experience_id": story["experience_id"], "title": story["title"], "description": story["description"],
        "path": story["path"], "submitted_at": story["submitted_at"], "published_at": "2026-12-01T11:00:00+00:00",
        "edited": False})
    assert notification.send().attempted == 0
    assert sink.wait_for(1, timeout=0.3) == []
    [row] = rows(notification)
    assert row.status == "cancelled" and row.recipient is None and row.text_body == ""
    [contact] = rows(notification, contacts)
    assert contact.email is None and contact.title is None and contact.erased_at is not None
    with notification.harness.database.unit_of_work() as session:
        dump = [*session.execute(text("SELECT * FROM mails")), *session.execute(text("SELECT * FROM contacts"))]
    assert "example.org" not in repr(dump).lower()

    # Erasure that arrives before the submission: the story is never even recorded.
    later = submitted(email="avant@example.org")
    notification.deliver("erasure.requested", {"email": later["email"], "experience_id": later["experience_id"],
                                               "requested_at": "2026-12-01T10:00:00+00:00"})
    notification.deliver("experience.submitted", later)
    assert notification.send().attempted == 0
    assert len(rows(notification)) == 1
    assert all(contact.email is None for contact in rows(notification, contacts))


def test_several_senders_share_the_work_without_sending_twice(make_notification, smtp_server, submitted):
    sink = smtp_server()
    notification = make_notification(sink.url, NOTIFICATION_SEND_BATCH_SIZE="3")
    count = 24
    for number in range(count):
        notification.harness.publish("experience.submitted", submitted(email=f"auteur{number}@example.org"))
    assert notification.harness.consume() == count
    reports = []
    threads = [threading.Thread(target=lambda: reports.append(notification.send())) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(report.sent for report in reports) == count
    assert sum(1 for report in reports if report.sent) >= 2  # the work was really shared
    messages = sink.wait_for(count)
    assert sorted(message["To"] for message in messages) == sorted(f"auteur{n}@example.org" for n in range(count))
    assert len({message["Message-ID"] for message in messages}) == count
