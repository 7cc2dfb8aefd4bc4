"""Templates, message building and SMTP URL parsing, without a network."""
import email
import email.policy
import json

import pytest
from spplus.notification.adapters import rendering
from spplus.notification.adapters.smtp import SmtpConfig, parse_smtp_url
from spplus.notification.domain import mails as kinds

BASE = {"public_base_url": "https://sp.example", "title": None}
CONTEXTS = {
    kinds.RECEIVED: {"tracking_url": "https://sp.example/suivi/t"},
    kinds.PUBLISHED: {"edited": False, "public_url": "https://sp.example/experiences/1"},
    kinds.REJECTED: {"reason_label": "Hors sujet", "message": None, "charter_url": "https://sp.example/programme",
                     "new_url": "https://sp.example/experiences/nouvelle"},
    kinds.EDIT_PROPOSED: {"message": None, "edited_title": "T", "edited_description": "D",
                          "title_diff": [{"kind": "same", "text": "T"}],
                          "description_diff": [{"kind": "removed", "text": "<b>x</b>"}, {"kind": "added", "text": "D"}],
                          "deadline_text": "jeudi 3 décembre 2026 à 14 h 30",
                          "approval_url": "https://sp.example/proposition/p"},
    kinds.EDIT_REMINDER: {"deadline_text": "jeudi", "approval_url": "https://sp.example/proposition/p"},
    kinds.EDIT_ACCEPTED: {"public_url": "https://sp.example/experiences/1"},
    kinds.EDIT_DECLINED: {"new_url": "https://sp.example/experiences/nouvelle"},
    kinds.EDIT_EXPIRED: {"public_url": "https://sp.example/experiences/1"},
    kinds.WITHDRAWN: {"reason": "Litige", "charter_url": "https://sp.example/programme"},
    kinds.REASSIGNED: {"structure_name": "CAF"},
    kinds.RESPONSE_PUBLISHED: {"structure_name": "CAF", "public_url": "https://sp.example/experiences/1"},
    kinds.PASSWORD_RESET: {"reset_url": "https://sp.example/r/x", "expires_text": "jeudi"},
}


@pytest.mark.parametrize("template", sorted(CONTEXTS))
def test_every_template_renders_a_french_subject_text_and_html(template):
    mail = rendering.render(template, {**BASE, **CONTEXTS[template]})
    assert mail.subject and "\n" not in mail.subject
    assert mail.text.startswith("Bonjour,") and "L'équipe Services Publics +" in mail.text
    assert '<html lang="fr">' in mail.html and f"<title>{mail.subject}" in mail.html.replace("&#39;", "'")
    assert "None" not in mail.text and "None" not in mail.html
    json.dumps(CONTEXTS[template])  # contexts are stored as JSON


def test_user_text_is_escaped_in_html():
    mail = rendering.render(kinds.EDIT_PROPOSED, {**BASE, **CONTEXTS[kinds.EDIT_PROPOSED],
                                                  "message": "<script>alert(1)</script>"})
    assert "<script>" not in mail.html and "&lt;script&gt;" in mail.html
    assert "&lt;b&gt;x&lt;/b&gt;</del>" in mail.html
    assert "[-<b>x</b>-]{+D+}" in mail.text


def test_message_is_multipart_seven_bit_with_every_header():
    mail = rendering.render(kinds.RECEIVED, {**BASE, **CONTEXTS[kinds.RECEIVED], "title": "Élève à l'école"})
    message = rendering.build_message(sender="Services Publics + <ne-pas-repondre@sp.example>",
                                      reply_to="contact@sp.example", recipient="a@example.org",
                                      message_id="<1@sp.example>", mail=mail)
    raw = message.as_bytes()
    raw.decode("ascii")
    parsed = email.message_from_bytes(raw, policy=email.policy.default)
    for header in ("From", "To", "Reply-To", "Subject", "Date", "Message-ID"):
        assert parsed[header], header
    assert parsed["Subject"] == "Nous avons bien reçu votre témoignage"
    assert "« Élève à l'école »" in parsed.get_body(("plain",)).get_content()


@pytest.mark.parametrize("url, expected", [
    ("smtp://mail.example", SmtpConfig("mail.example", 25, "plain")),
    ("smtp://mail.example:2525", SmtpConfig("mail.example", 2525, "plain")),
    ("smtps://u:p%40ss@mail.example", SmtpConfig("mail.example", 465, "ssl", "u", "p@ss")),
    ("smtp://u:p@mail.example?starttls=1&timeout=5", SmtpConfig("mail.example", 587, "starttls", "u", "p", 5.0)),
    ("smtps://mail.example:2465?cafile=/etc/ca.pem", SmtpConfig("mail.example", 2465, "ssl", cafile="/etc/ca.pem")),
])
def test_smtp_url(url, expected):
    assert parse_smtp_url(url) == expected


def test_smtp_url_must_be_smtp():
    with pytest.raises(ValueError):
        parse_smtp_url("http://mail.example")
