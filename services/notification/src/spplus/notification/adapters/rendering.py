"""Mails from Jinja templates: ``templates/mail/<name>.txt`` (which sets ``subject``) and ``<name>.html``."""
from __future__ import annotations

from email.message import EmailMessage
from email.utils import formatdate

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from ..domain.diff import Segment
from ..domain.french import french_datetime
from ..domain.mails import RenderedMail

SITE_NAME = "Services Publics +"


def _text_diff(segments: list[dict]) -> str:
    marks = {"same": "{}", "removed": "[-{}-]", "added": "{{+{}+}}"}
    return "".join(marks[segment["kind"]].format(segment["text"]) for segment in segments)


_HTML_MARKS = {
    "same": "{}",
    "removed": '<del style="background:#fde8e8;color:#9b1c1c;text-decoration:line-through">{}</del>',
    "added": '<ins style="background:#e3f4e6;color:#14532d;text-decoration:underline">{}</ins>',
}


def _html_diff(segments: list[dict]) -> Markup:
    return Markup("".join(_HTML_MARKS[segment["kind"]].format(escape(segment["text"])) for segment in segments))


_environment = Environment(
    loader=PackageLoader("spplus.notification", "templates/mail"),
    autoescape=select_autoescape(["html"]),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)
_environment.filters["french_datetime"] = french_datetime
_environment.filters["text_diff"] = _text_diff
_environment.filters["html_diff"] = _html_diff
_environment.globals["site_name"] = SITE_NAME


def segments_for_template(segments: list[Segment]) -> list[dict]:
    """Diff segments as plain data, so a mail's context can be stored as JSON."""
    return [{"kind": segment.kind, "text": segment.text} for segment in segments]


def render(template: str, context: dict) -> RenderedMail:
    text_module = _environment.get_template(f"{template}.txt").make_module(context)
    subject = " ".join(str(text_module.subject).split())
    html = _environment.get_template(f"{template}.html").render(context, subject=subject)
    return RenderedMail(subject=subject, text=str(text_module).strip() + "\n", html=html)


def build_message(*, sender: str, reply_to: str, recipient: str, message_id: str, mail: RenderedMail) -> EmailMessage:
    """A multipart/alternative message (plain text first, HTML preferred by readers that can)."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = recipient
    message["Reply-To"] = reply_to
    message["Subject"] = mail.subject
    message["Date"] = formatdate(localtime=False, usegmt=True)
    message["Message-ID"] = message_id
    message["Content-Language"] = "fr"
    # Tells mail servers and clients this is automatic: no out-of-office answer back.
    message["Auto-Submitted"] = "auto-generated"
    # Quoted-printable keeps the message 7-bit: accents survive any relay, old or new.
    message.set_content(mail.text, cte="quoted-printable")
    message.add_alternative(mail.html, subtype="html", cte="quoted-printable")
    return message
