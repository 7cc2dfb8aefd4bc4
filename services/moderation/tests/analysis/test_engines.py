"""Engines: built once per process even under concurrent first use, and never downloading anything."""

import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from spplus.moderation.analysis import Finding, analyze
from spplus.moderation.analysis.engines import NLP_CONFIGURATION, OfflineSpacyNlpEngine, once


def test_once_builds_a_single_time_under_concurrent_first_use():
    calls = []

    @once
    def build():
        calls.append(threading.get_ident())
        time.sleep(0.05)
        return object()

    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda _: build(), range(16)))
    assert len(calls) == 1
    assert all(result is results[0] for result in results)


def test_concurrent_analyses_agree():
    text = "Je m'appelle Sophie Marchand, joignable au 06 12 34 56 78, et la CAF ne répond pas depuis un mois."
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda _: analyze(text), range(8)))
    assert all(result == results[0] for result in results)
    assert {f.kind for f in results[0]} == {"pii.person", "pii.phone"}


def test_a_missing_model_is_an_error_not_a_download(monkeypatch):
    import spacy.cli

    monkeypatch.setattr(spacy.cli, "download", lambda *a, **k: pytest.fail("a model download was attempted"))
    engine = OfflineSpacyNlpEngine(models=[{"lang_code": "fr", "model_name": "fr_core_news_lg_absent"}])
    with pytest.raises(RuntimeError, match="never downloaded"):
        engine.load()
    assert NLP_CONFIGURATION["models"] == [{"lang_code": "fr", "model_name": "fr_core_news_sm"}]


def test_everything_works_without_network():
    """A fresh process whose sockets cannot connect builds every engine and finds personal data."""
    script = """
import socket
def refuse(*args, **kwargs):
    raise OSError("network access during analysis")
socket.socket.connect = refuse
socket.create_connection = refuse
socket.getaddrinfo = refuse
from spplus.moderation.analysis import analyze
kinds = sorted({f.kind for f in analyze("Contactez Marie Dupont à marie.dupont@gmail.com ou au 06 12 34 56 78. "
    "I went to the prefecture three times and nobody could tell me why my application is still pending.")})
print(",".join(kinds))
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "network access" not in done.stderr
    assert done.stdout.strip() == "pii.email,pii.person,pii.phone,policy.language"


def test_finding_is_a_frozen_dataclass_with_to_dict():
    finding = Finding("pii.email", "Adresse électronique", 3, 10, "a@b.fr", 1.0, "[adresse électronique]")
    with pytest.raises(AttributeError):
        finding.kind = "pii.phone"  # type: ignore[misc]
    assert finding.to_dict() == {"kind": "pii.email", "label": "Adresse électronique", "start": 3, "end": 10,
                                 "excerpt": "a@b.fr", "score": 1.0, "suggestion": "[adresse électronique]"}


def test_empty_and_odd_input():
    assert [f.kind for f in analyze("")] == ["policy.vague"]
    assert [f.kind for f in analyze("   \n ")] == ["policy.vague"]
    with pytest.raises(TypeError):
        analyze(None)  # type: ignore[arg-type]
