"""Before publishing, moderation's assistants read the body (a real HTTP server standing in for
moderation's analyze endpoint): their findings are warnings, never a block."""
import dataclasses
import re
import threading
import time

from flask import Flask, jsonify, request

PHONE = re.compile(r"0\d(?: \d\d){4}")


def fake_moderation(delay: float = 0.0):
    """Answers like ``POST /api/v1/moderation/analyze``; remembers who called."""
    app = Flask("fake_moderation")
    app.calls = []
    lock = threading.Lock()

    @app.post("/api/v1/moderation/analyze")
    def analyze():
        with lock:
            app.calls.append({"authorization": request.headers.get("Authorization"), "json": request.get_json()})
        time.sleep(delay)
        text = request.get_json()["text"]
        findings = [{"kind": "pii.phone", "label": "Numéro de téléphone", "start": m.start(), "end": m.end(),
                     "excerpt": m.group(), "score": 0.99, "suggestion": "[numéro de téléphone]"}
                    for m in PHONE.finditer(text)]
        return jsonify({"findings": findings})

    return app


def point_to(responses, url: str) -> None:
    app = responses.harness.app
    settings = app.config["SPPLUS_SETTINGS"]
    app.config["SPPLUS_SETTINGS"] = dataclasses.replace(settings, extra={**settings.extra, "MODERATION_URL": url})


def test_findings_are_shown_and_the_answer_is_published_anyway(responses, live_server):
    moderation = fake_moderation()
    point_to(responses, live_server(moderation).url)
    item_id = responses.item_id(responses.publish_experience(["CAF30"]), "CAF30")
    body = "Rappelez notre conseillère au 06 12 34 56 78 pour finaliser votre dossier, merci."
    headers = responses.headers()

    checked = responses.harness.client.post(f"/api/v1/agent/items/{item_id}/response/check", json={"body": body},
                                            headers=headers)
    assert checked.get_json()["ran"] is True
    assert [f["excerpt"] for f in checked.get_json()["findings"]] == ["06 12 34 56 78"]

    published = responses.harness.client.post(f"/api/v1/agent/items/{item_id}/response/publish",
                                              json=responses.answer(body=body), headers=headers)
    assert published.status_code == 200
    check = published.get_json()["check"]
    assert check["ran"] is True and check["findings"][0]["kind"] == "pii.phone"
    assert check["findings"][0]["suggestion"] == "[numéro de téléphone]"
    # The agent's own token went to moderation, with only the body.
    assert moderation.calls[-1] == {"authorization": headers["Authorization"], "json": {"text": body}}
    detail = responses.get(f"/api/v1/agent/items/{item_id}").get_json()
    assert detail["history"][0]["check"]["findings"][0]["excerpt"] == "06 12 34 56 78"
    assert responses.sent("response.published")[0].data["body"] == body

    # A clean body has no finding.
    item_id = responses.item_id(responses.publish_experience(["CAF30"]), "CAF30")
    published = responses.send("POST", f"/api/v1/agent/items/{item_id}/response/publish", responses.answer())
    assert published.get_json()["check"] == {"ran": True, "findings": [], "note": None}


def test_a_slow_or_broken_moderation_never_blocks_publication(responses, live_server):
    slow = fake_moderation(delay=1.5)  # the timeout is 0.5 s in tests
    point_to(responses, live_server(slow).url)
    item_id = responses.item_id(responses.publish_experience(["CAF30", "CAF34"]), "CAF30")
    published = responses.send("POST", f"/api/v1/agent/items/{item_id}/response/publish", responses.answer())
    assert published.status_code == 200
    assert published.get_json()["check"]["ran"] is False
    assert "n'a pas pu être effectuée" in published.get_json()["check"]["note"]
    assert len(slow.calls) == 1  # it was asked, and did not answer in time

    broken = Flask("broken")
    broken.post("/api/v1/moderation/analyze")(lambda: ("<html>oups</html>", 502))
    point_to(responses, live_server(broken).url)
    other = responses.item_id(responses.get(f"/api/v1/agent/items/{item_id}").get_json()["experience_id"], "CAF34")
    result = responses.send("POST", f"/api/v1/agent/items/{other}/response/publish", responses.answer(),
                            structures=["CAF34"])
    assert result.status_code == 200 and result.get_json()["check"]["ran"] is False
