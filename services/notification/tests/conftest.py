"""A real SMTP server (aiosmtpd) for the notification tests, and a notification service on it."""
from __future__ import annotations

import email
import email.policy
import socket
import threading
import time
import uuid

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from spplus.notification.bootstrap import spec
from spplus.notification.config import NotificationConfig
from spplus.notification.service_layer.sending import send_due

PUBLIC_BASE_URL = "https://servicespublics.example"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class SmtpSink:
    """An SMTP server on a local port that keeps what it receives and can refuse on demand."""

    def __init__(self, port: int, credentials: tuple[str, str] | None = None, tls: str | None = None,
                 certificate: Certificate | None = None):
        self.port = port
        self.credentials = credentials
        self.tls = tls  # None, "starttls" (required) or "ssl" (implicit TLS, smtps://)
        self.certificate = certificate
        self.received: list[tuple[object, bytes]] = []  # (envelope, raw content)
        # address -> answer given to every RCPT for it ("550 ..."), until removed
        self.refused: dict[str, str] = {}
        # address -> answers given to its next RCPT commands, one each ("451 ..."), then accepted
        self.next_answers: dict[str, list[str]] = {}
        self.lock = threading.Lock()
        self.controller: Controller | None = None

    # aiosmtpd handler hooks
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        with self.lock:
            if address in self.refused:
                return self.refused[address]
            if self.next_answers.get(address):
                return self.next_answers[address].pop(0)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.received.append((envelope, envelope.original_content or envelope.content))
        return "250 Message accepted for delivery"

    def _authenticate(self, server, session, envelope, mechanism, auth_data):
        login = (auth_data.login.decode(), auth_data.password.decode()) if hasattr(auth_data, "login") else None
        return AuthResult(success=login == self.credentials)

    def start(self) -> SmtpSink:
        options = {}
        if self.credentials:
            options = {"authenticator": self._authenticate, "auth_require_tls": self.tls is not None}
        if self.tls == "starttls":
            options.update(tls_context=self.certificate.server_context(), require_starttls=True)
        elif self.tls == "ssl":
            options.update(ssl_context=self.certificate.server_context())
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port, **options)
        self.controller.start()
        return self

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    @property
    def messages(self) -> list[email.message.EmailMessage]:
        with self.lock:
            return [email.message_from_bytes(raw, policy=email.policy.default) for _envelope, raw in self.received]

    @property
    def raw(self) -> list[bytes]:
        with self.lock:
            return [raw for _envelope, raw in self.received]

    def wait_for(self, count: int, timeout: float = 10.0) -> list:
        deadline = time.monotonic() + timeout
        while len(self.received) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        return self.messages


class Certificate:
    """A throw-away CA-less self-signed certificate for 127.0.0.1, as PEM files."""

    def __init__(self, directory):
        import datetime as dt
        import ipaddress

        from cryptography import x509
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import ec
        from cryptography.x509.oid import NameOID

        key = ec.generate_private_key(ec.SECP256R1())
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
        now = dt.datetime.now(dt.UTC)
        certificate = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
                       .serial_number(x509.random_serial_number())
                       .not_valid_before(now - dt.timedelta(minutes=5)).not_valid_after(now + dt.timedelta(days=1))
                       .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                                      critical=False)
                       .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
                       .sign(key, hashes.SHA256()))
        self.cert_path = directory / "smtp-cert.pem"
        self.key_path = directory / "smtp-key.pem"
        self.cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
        self.key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                    serialization.NoEncryption()))

    def server_context(self):
        import ssl

        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(self.cert_path, self.key_path)
        return context


@pytest.fixture(scope="session")
def certificate(tmp_path_factory) -> Certificate:
    return Certificate(tmp_path_factory.mktemp("tls"))


@pytest.fixture
def smtp_server(certificate):
    sinks: list[SmtpSink] = []

    def start(port: int | None = None, credentials=None, tls: str | None = None) -> SmtpSink:
        sink = SmtpSink(port or free_port(), credentials, tls, certificate).start()
        sinks.append(sink)
        return sink

    start.sinks = sinks
    yield start
    for sink in sinks:
        sink.stop()


class Notification:
    """The notification service under test: its harness, config and a way to run the sender."""

    def __init__(self, harness):
        self.harness = harness
        self.config = NotificationConfig.from_settings(harness.settings)

    def deliver(self, event_type: str, data: dict, producer: str = "test"):
        return self.harness.deliver(event_type, data, producer)

    def send(self):
        return send_due(self.config, self.harness.database)


@pytest.fixture
def make_notification(make_harness):
    def make(smtp_url: str = "", **env) -> Notification:
        settings = {"PUBLIC_BASE_URL": PUBLIC_BASE_URL, "NOTIFICATION_SMTP_URL": smtp_url,
                    "NOTIFICATION_RETRY_BASE_SECONDS": "0.05", "NOTIFICATION_RETRY_MAX_SECONDS": "0.2", **env}
        return Notification(make_harness(spec, **settings))

    return make


@pytest.fixture
def submitted():
    """``submitted(**overrides)`` → data of an ``experience.submitted`` event."""

    def make(**overrides) -> dict:
        data = {
            "experience_id": str(uuid.uuid4()),
            "title": "Un accueil très attentionné à la CAF de Nîmes",
            "description": "J'ai été reçue sans rendez-vous ; l'agent a pris le temps d'expliquer "
                           "chaque étape de ma déclaration et m'a rappelée le lendemain.",
            "feeling": "positive",
            "experienced_on": "2026-10",
            "path": [{"structure_code": "CAF30", "structure_name": "CAF du Gard",
                      "channels": [{"channel": "counter", "feeling": "positive"}]}],
            "pseudonym": "Hélène",
            "postal_code": "30000",
            "city": "Nîmes",
            "email": "helene.martin@example.org",
            "tracking_path": f"/suivi/{uuid.uuid4().hex}",
            "submitted_at": "2026-11-30T09:15:00+00:00",
        }
        data.update(overrides)
        return data

    return make
