"""The real worker role: consumer and sender job together, as deployed."""
from __future__ import annotations

import threading

from spplus.chassis.worker import run_worker


def test_worker_turns_an_event_into_a_mail_on_its_own(make_notification, smtp_server, submitted):
    server = smtp_server()
    notification = make_notification(server.url, NOTIFICATION_SEND_EVERY_SECONDS="0.1")
    harness = notification.harness
    harness.consumer  # noqa: B018 - the queue exists before anything is published
    stop = threading.Event()
    worker = threading.Thread(target=run_worker, args=(harness.spec, harness.settings, harness.database, stop, False))
    worker.start()
    try:
        story = submitted()
        harness.publish("experience.submitted", story)
        [message] = server.wait_for(1, timeout=15)
        assert message["To"] == story["email"]
        assert message["Subject"] == "Nous avons bien reçu votre témoignage"
    finally:
        stop.set()
        worker.join(timeout=30)
    assert not worker.is_alive()
