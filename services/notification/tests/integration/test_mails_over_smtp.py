"""Every mail of the journey, through the real broker and database, to a real SMTP server."""
from __future__ import annotations

import dataclasses
import datetime as dt
import email.policy
import email.utils
import re
import uuid
from html.parser import HTMLParser
from urllib.parse import urlsplit

from spplus.notification.adapters.tables import mails
from spplus.notification.service_layer import handlers
from spplus.notification.service_layer.retention import scrub_old_mails
from sqlalchemy import select, update

PUBLIC = "https://servicespublics.example"


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.hrefs.append(dict(attrs)["href"])


def parts(message):
    text = message.get_body(preferencelist=("plain",)).get_content().replace("\r\n", "\n")
    html = message.get_body(preferencelist=("html",)).get_content().replace("\r\n", "\n")
    return text, html


def links(message) -> tuple[list[str], list[str]]:
    text, html = parts(message)
    parser = _Links()
    parser.feed(html)
    return re.findall(r"https?://\S+", text), parser.hrefs


def assert_links_valid(message, *expected_paths):
    text_links, html_links = links(message)
    for url in text_links + html_links:
        pieces = urlsplit(url)
        assert (pieces.scheme, pieces.netloc) == ("https", "servicespublics.example"), url
        assert " " not in url and "{" not in url and "None" not in url, url
    for path in expected_paths:
        assert PUBLIC + path in text_links, (path, text_links)
        assert PUBLIC + path in html_links, (path, html_links)


def one_mail(sink, notification):
    report = notification.send()
    [message] = sink.wait_for(1)
    return report, message


def test_received_mail_has_headers_accents_and_the_tracking_link(make_notification, smtp_server, submitted):
    sink = smtp_server()
    notification = make_notification(sink.url)
    data = submitted()
    notification.deliver("experience.submitted", data)
    report, message = one_mail(sink, notification)
    assert report.sent == 1
    assert message["Subject"] == "Nous avons bien reçu votre témoignage"
    assert message["From"] == "Services Publics + <ne-pas-repondre@servicespublics.example>"
    assert message["To"] == "helene.martin@example.org"
    assert message["Reply-To"] == "Services Publics + <contact@servicespublics.example>"
    assert re.fullmatch(r"<[0-9a-f-]{36}@servicespublics\.example>", message["Message-ID"])
    sent_at = email.utils.parsedate_to_datetime(message["Date"])
    assert abs((dt.datetime.now(dt.UTC) - sent_at).total_seconds()) < 60
    assert message.get_content_type() == "multipart/alternative"
    text, html = parts(message)
    assert "« Un accueil très attentionné à la CAF de Nîmes »" in text
    assert "très attentionné" in html and "<html lang=\"fr\">" in html
    assert_links_valid(message, data["tracking_path"])
    # Accents are MIME-encoded: the message on the wire is pure 7-bit ASCII.
    raw = sink.raw[0]
    assert raw.decode("ascii")
    assert "=?utf-8?" in raw.decode("ascii").split("\n\n", 1)[0].lower()


def test_the_same_event_delivered_twice_sends_one_mail(make_notification, smtp_server, submitted):
    sink = smtp_server()
    notification = make_notification(sink.url)
    event = notification.harness.publish("experience.submitted", submitted())
    notification.harness.publish("experience.submitted", {}, event=event)
    assert notification.harness.consume() == 2
    # The (event id, template) key holds on its own too: the use case run again writes nothing.
    with notification.harness.database.unit_of_work() as session:
        handlers.experience_submitted(session, event, notification.config)
    assert notification.send().sent == 1
    assert notification.send().sent == 0
    assert len(sink.wait_for(1)) == 1

    # Months later the log forgets the address and the content, and keeps the key.
    with notification.harness.database.unit_of_work() as session:
        assert scrub_old_mails(session, dt.timedelta(days=90)) == 0
        session.execute(update(mails).values(updated_at=dt.datetime.now(dt.UTC) - dt.timedelta(days=91)))
        assert scrub_old_mails(session, dt.timedelta(days=90)) == 1
        [row] = session.execute(select(mails)).all()
    assert row.recipient is None and row.text_body == "" and row.event_id == event.id


def published_data(data: dict, edited: bool = False) -> dict:
    return {"experience_id": data["experience_id"], "title": data["title"], "description": data["description"],
            "feeling": "positive", "experienced_on": None, "path": data["path"], "pseudonym": data["pseudonym"],
            "submitted_at": data["submitted_at"], "published_at": "2026-12-01T10:00:00+00:00", "edited": edited}


def test_edit_proposal_shows_the_changes_the_link_and_the_paris_deadline(make_notification, smtp_server, submitted):
    sink = smtp_server()
    notification = make_notification(sink.url)
    data = submitted()
    notification.deliver("experience.submitted", data)
    notification.deliver("experience.edit_proposed", {
        "experience_id": data["experience_id"],
        "original_title": data["title"],
        "original_description": "L'agent Jean Dupont a été très patient et m'a tout expliqué.",
        "edited_title": "Un accueil attentionné à la CAF",
        "edited_description": "L'agent a été très patient et m'a tout expliqué.",
        "message": "Nous avons retiré le nom de l'agent, qui ne doit pas être publié.",
        "deadline": "2026-12-03T13:30:00+00:00",
        "approval_path": "/proposition/signed.token-123",
    })
    notification.send()
    message = next(m for m in sink.wait_for(2) if "accord" in m["Subject"])
    assert message["Subject"] == "Votre accord est demandé pour publier votre témoignage modifié"
    text, html = parts(message)
    assert "jeudi 3 décembre 2026 à 14 h 30 (heure de Paris)" in text
    assert "jeudi 3 décembre 2026 à 14 h 30" in html
    assert "L'agent [-Jean Dupont-] a été très patient" in text
    assert "Titre : Un accueil [-très-] attentionné à la CAF [-de Nîmes-]" in text
    assert re.search(r"L&#39;agent <del[^>]*>Jean Dupont</del> a été", html)
    assert "retiré le nom de l&#39;agent" in html or "retiré le nom de l'agent" in html
    assert_links_valid(message, "/proposition/signed.token-123")


JOURNEY = [  # event type, data, subject, phrases of the text, link paths
    ("experience.published",
     {"title": "Un accueil très attentionné à la CAF de Nîmes", "description": "Un accueil attentionné.",
      "path": [{"structure_code": "CAF30"}], "submitted_at": "2026-11-30T09:15:00+00:00",
      "published_at": "2026-12-01T10:00:00+00:00", "edited": True},
     "Votre témoignage est publié", ["légères corrections"], ["/experiences/{id}"]),
    ("experience.rejected",
     {"reason_code": "personal_data", "reason_label": "Données personnelles",
      "message": "Votre récit cite le nom d'un agent.", "rejected_at": "2026-12-01T10:00:00+00:00"},
     "Votre témoignage n'a pas pu être publié",
     ["Motif : Données personnelles", "Votre récit cite le nom d'un agent."], ["/experiences/nouvelle"]),
    ("experience.edit_reminder",
     {"deadline": "2026-07-14T08:00:00+00:00", "approval_path": "/proposition/tok-2"},
     "Rappel : plus que 24 heures pour répondre à la modification proposée",
     ["mardi 14 juillet 2026 à 10 h 00 (heure de Paris)"], ["/proposition/tok-2"]),
    ("experience.edit_accepted", {"decided_at": "2026-12-01T10:00:00+00:00"},
     "Merci : votre témoignage modifié est publié", ["Vous avez accepté"], ["/experiences/{id}"]),
    ("experience.edit_declined", {"decided_at": "2026-12-01T10:00:00+00:00"},
     "Votre refus des modifications est bien enregistré", ["ne sera\npas publié"], ["/experiences/nouvelle"]),
    ("experience.edit_expired", {"decided_at": "2026-12-01T10:00:00+00:00"},
     "Votre témoignage est publié dans sa version modifiée", ["avant la date limite"], ["/experiences/{id}"]),
    ("experience.withdrawn", {"reason": "Procédure judiciaire en cours", "withdrawn_at": "2026-12-01T10:00:00+00:00"},
     "Votre témoignage a été retiré du site", ["Motif : Procédure judiciaire en cours"], ["/programme"]),
    ("experience.reassigned",
     {"from_structure_code": "CAF30", "to_structure_code": "CAF30-NIM", "to_structure_name": "CAF du Gard – Nîmes",
      "by": "responses", "reassigned_at": "2026-12-01T10:00:00+00:00"},
     "Votre témoignage a été transmis à un autre service", ["CAF du Gard – Nîmes"], []),
    ("response.published",
     {"response_id": str(uuid.uuid4()), "structure_code": "CAF30", "structure_name": "CAF du Gard",
      "greeting": "Madame,", "body": "Merci.", "signature": "La directrice", "status": "answered",
      "published_at": "2026-12-02T10:00:00+00:00", "updated_at": "2026-12-02T10:00:00+00:00", "version": 1},
     "Une administration a répondu à votre témoignage", ["CAF du Gard a publié une réponse"], ["/experiences/{id}"]),
]


def test_each_step_of_the_journey_tells_the_author(make_notification, smtp_server, submitted):
    sink = smtp_server()
    notification = make_notification(sink.url)
    stories = [submitted(email=f"auteur{number}@example.org") for number in range(len(JOURNEY))]
    for story, (event_type, data, *_expected) in zip(stories, JOURNEY, strict=True):
        notification.harness.publish("experience.submitted", story)
        notification.harness.publish(event_type, {"experience_id": story["experience_id"], **data})
    assert notification.harness.consume() == 2 * len(JOURNEY)
    assert notification.send().sent == 2 * len(JOURNEY)
    messages = sink.wait_for(2 * len(JOURNEY))
    for story, (event_type, _data, subject, phrases, paths) in zip(stories, JOURNEY, strict=True):
        [message] = [m for m in messages if m["To"] == story["email"] and "bien reçu" not in m["Subject"]]
        assert message["Subject"] == subject, event_type
        text, _html = parts(message)
        assert story["title"] in text, event_type
        for phrase in phrases:
            assert phrase in text, (event_type, phrase)
        assert_links_valid(message, *(path.format(id=story["experience_id"]) for path in paths))

    # Agents too: the password reset goes to the agent's address, with the link.
    notification.deliver("agent.password_reset_requested", {
        "email": "agent.dupont@caf.example.fr", "reset_url": f"{PUBLIC}/connexion/reinitialiser/abc.def",
        "expires_at": "2026-12-01T23:30:00+00:00"})
    assert notification.send().sent == 1
    [message] = [m for m in sink.wait_for(2 * len(JOURNEY) + 1) if m["To"] == "agent.dupont@caf.example.fr"]
    assert message["Subject"] == "Réinitialisation de votre mot de passe"
    text, _html = parts(message)
    assert "mercredi 2 décembre 2026 à 0 h 30 (heure de Paris)" in text
    assert_links_valid(message, "/connexion/reinitialiser/abc.def")


def test_events_in_any_order_tell_the_author_once_each(make_notification, smtp_server, submitted):
    sink = smtp_server()
    notification = make_notification(sink.url)
    # Acceptance of the proposal, then the publication it causes: one mail says both.
    accepted = submitted(email="accepte@example.org")
    notification.deliver("experience.submitted", accepted)
    notification.deliver("experience.edit_accepted", {"experience_id": accepted["experience_id"],
                                                      "decided_at": "2026-12-01T10:00:00+00:00"})
    notification.deliver("experience.published", published_data(accepted, edited=True))
    # A rejection that overtakes the submission waits for the author's address.
    early = submitted(email="en-avance@example.org", title="Une attente interminable au guichet")
    notification.deliver("experience.rejected", {"experience_id": early["experience_id"], "reason_code": "spam",
                                                 "reason_label": "Publicité",
                                                 "rejected_at": "2026-12-01T10:00:00+00:00"})
    assert notification.send().sent == 2  # the accepted story's two mails; the early one waits
    notification.deliver("experience.submitted", early)
    assert notification.send().sent == 2
    messages = sink.wait_for(4)
    assert sorted(m["Subject"] for m in messages if m["To"] == accepted["email"]) == [
        "Merci : votre témoignage modifié est publié", "Nous avons bien reçu votre témoignage"]
    [rejected] = [m for m in messages if m["To"] == early["email"] and "pas pu" in m["Subject"]]
    assert "« Une attente interminable au guichet »" in parts(rejected)[0]


def test_without_smtp_server_mails_are_eml_files_under_var_mail(make_notification, submitted, tmp_path):
    notification = make_notification("")
    story = submitted()
    notification.deliver("experience.submitted", story)
    assert notification.send().sent == 1
    [path] = list((tmp_path / "var" / "mail").glob("*.eml"))
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert message["Subject"] == "Nous avons bien reçu votre témoignage"
    assert PUBLIC + story["tracking_path"] in parts(message)[0]


def test_smtp_login_starttls_and_smtps_from_the_url(make_notification, smtp_server, submitted, certificate):
    """One service, three relays in turn: login over plain SMTP, STARTTLS with login, implicit TLS."""
    plain = smtp_server(credentials=("relais", "s3cr&t"))
    starttls = smtp_server(credentials=("relais", "s3cr&t"), tls="starttls")
    implicit = smtp_server(tls="ssl")
    notification = make_notification(plain.url)
    urls = [(plain, f"smtp://relais:s3cr%26t@127.0.0.1:{plain.port}"),
            (starttls, f"smtp://relais:s3cr%26t@127.0.0.1:{starttls.port}?starttls=1&cafile={certificate.cert_path}"),
            (implicit, f"smtps://127.0.0.1:{implicit.port}?cafile={certificate.cert_path}")]
    for server, url in urls:
        notification.config = dataclasses.replace(notification.config, smtp_url=url)
        notification.deliver("experience.submitted", submitted())
        assert notification.send().sent == 1, url
        [message] = server.wait_for(1)
        assert message["Subject"] == "Nous avons bien reçu votre témoignage"
    # A relay whose certificate is not trusted gets nothing: the mail waits, it is not lost.
    notification.config = dataclasses.replace(notification.config, smtp_url=f"smtps://127.0.0.1:{implicit.port}")
    notification.deliver("experience.submitted", submitted())
    report = notification.send()
    assert (report.sent, report.retried) == (0, 1)
    assert len(implicit.wait_for(2, timeout=0.3)) == 1
