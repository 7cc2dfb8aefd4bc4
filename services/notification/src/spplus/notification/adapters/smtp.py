"""Handing mails over: to an SMTP server (``NOTIFICATION_SMTP_URL``) or, in a local run without
one, as ``.eml`` files under ``var/mail/``.

``smtp://host:25``, ``smtp://user:password@host:587?starttls=1``, ``smtps://host:465``;
``?timeout=30`` sets the socket timeout in seconds, ``?cafile=/path/ca.pem`` trusts a private CA
(server certificates are always verified).

Failures become ``DeliveryError``: a 5xx answer to one message's MAIL, RCPT or DATA is
permanent; everything else (connection refused or lost, 4xx, login or TLS trouble, which are
the server's or the configuration's fault, not the mail's) is transient and retried.
"""
from __future__ import annotations

import dataclasses
import os
import smtplib
import ssl
import tempfile
from email.message import EmailMessage
from email.utils import parseaddr
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from ..domain.mails import DeliveryError

TRUE = ("1", "true", "yes", "on", "oui")


@dataclasses.dataclass(frozen=True)
class SmtpConfig:
    host: str
    port: int
    mode: str  # "plain", "starttls" or "ssl"
    username: str | None = None
    password: str | None = None
    timeout: float = 30.0
    cafile: str | None = None

    def tls_context(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=self.cafile)


def parse_smtp_url(url: str) -> SmtpConfig:
    parts = urlsplit(url)
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
        raise ValueError("NOTIFICATION_SMTP_URL must look like smtp://host:port or smtps://host:port")
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    if parts.scheme == "smtps":
        mode, default_port = "ssl", 465
    elif query.get("starttls", "").lower() in TRUE:
        mode, default_port = "starttls", 587
    else:
        mode, default_port = "plain", 25
    return SmtpConfig(
        host=parts.hostname,
        port=parts.port or default_port,
        mode=mode,
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
        timeout=float(query.get("timeout", 30)),
        cafile=query.get("cafile") or None,
    )


class SmtpTransport:
    """One SMTP connection, opened on first use, reused for a batch, reopened after a loss."""

    def __init__(self, config: SmtpConfig):
        self.config = config
        self._smtp: smtplib.SMTP | None = None

    def _connect(self) -> smtplib.SMTP:
        config = self.config
        try:
            if config.mode == "ssl":
                smtp = smtplib.SMTP_SSL(config.host, config.port, timeout=config.timeout,
                                        context=config.tls_context())
            else:
                smtp = smtplib.SMTP(config.host, config.port, timeout=config.timeout)
            try:
                smtp.ehlo()
                if config.mode == "starttls":
                    smtp.starttls(context=config.tls_context())
                    smtp.ehlo()
                if config.username:
                    smtp.login(config.username, config.password or "")
            except BaseException:
                smtp.close()
                raise
        except (smtplib.SMTPException, OSError) as error:
            raise DeliveryError(f"connexion SMTP impossible : {type(error).__name__}: {error}") from error
        return smtp

    def send(self, message: EmailMessage, key: str) -> None:
        if self._smtp is None:
            self._smtp = self._connect()
        sender = parseaddr(str(message["From"]))[1]
        try:
            self._smtp.send_message(message, from_addr=sender, to_addrs=[str(message["To"])])
        except smtplib.SMTPRecipientsRefused as error:
            code, text = next(iter(error.recipients.values()), (None, b""))
            raise _refusal(code, text) from error
        except (smtplib.SMTPSenderRefused, smtplib.SMTPDataError) as error:
            raise _refusal(error.smtp_code, error.smtp_error) from error
        except (smtplib.SMTPException, OSError) as error:
            # The connection is in an unknown state: drop it, the next mail opens a new one.
            self.close()
            raise DeliveryError(f"envoi SMTP interrompu : {type(error).__name__}: {error}") from error

    def close(self) -> None:
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except (smtplib.SMTPException, OSError):
                self._smtp.close()
            self._smtp = None


def _refusal(code, text) -> DeliveryError:
    text = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
    return DeliveryError(text, permanent=code is not None and 500 <= int(code) < 600, code=code)


class EmlDirectoryTransport:
    """The local run's mailbox: each message is a ``<key>.eml`` file any mail client opens."""

    def __init__(self, directory: Path):
        self.directory = Path(directory)

    def send(self, message: EmailMessage, key: str) -> None:
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            # Written aside then renamed, so a reader never sees half a message.
            handle, temporary = tempfile.mkstemp(dir=self.directory, suffix=".part")
            with os.fdopen(handle, "wb") as file:
                file.write(message.as_bytes())
            os.replace(temporary, self.directory / f"{key}.eml")
        except OSError as error:
            raise DeliveryError(f"écriture du message impossible : {error}") from error

    def close(self) -> None:
        pass


def make_transport(smtp_url: str, mail_dir: Path) -> SmtpTransport | EmlDirectoryTransport:
    if smtp_url:
        return SmtpTransport(parse_smtp_url(smtp_url))
    return EmlDirectoryTransport(mail_dir)
