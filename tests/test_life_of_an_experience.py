"""The heart of the system, across the real services (ARCHITECTURE.md section 3):
submitted → moderated → published → answered, with the author told by e-mail at each step."""
from crossservice import eventually

AUTHOR = "camille.martin@example.org"
STORY = {
    "title": "Un accueil attentif pour mon dossier de prime d'activité",
    "description": ("Je suis allée à l'accueil avec un dossier incomplet. L'agent a pris le temps de "
                    "m'expliquer chaque pièce manquante et m'a aidée à prendre rendez-vous. Je suis "
                    "repartie rassurée, avec une liste claire de ce qu'il fallait apporter."),
    "feeling": "positive",
    "path": [{"structure": "CAF-30", "channels": [{"channel": "accueil", "feeling": "positive"}]}],
    "email": AUTHOR,
    "postal_code": "30000",
    "pseudonym": "Camille",
    "accept_terms": True,
}


def mails_to(platform, address):
    return [message for recipients, message in platform.smtp.messages if address in recipients]


def test_an_experience_goes_from_the_form_to_its_public_answer(platform):
    submission = platform.client("submission")
    # The referential flows from identity to submission through structure.upserted events.
    created = eventually(lambda: (r := submission.post("/api/v1/experiences", json=STORY)).status_code == 201 and r,
                         timeout=90, message="submission never knew the CAF du Gard")
    experience_id = created.get_json()["id"]
    tracking_url = created.get_json()["tracking_url"]

    received = eventually(lambda: mails_to(platform, AUTHOR), message="no acknowledgement e-mail")
    assert "http://spplus.test" + tracking_url in received[0].get_body(("plain",)).get_content()

    moderator = platform.login("moderation@demo.spplus.fr")
    moderation = platform.client("moderation")
    case = eventually(lambda: (r := moderation.get(f"/api/v1/moderation/cases/{experience_id}",
                                                    headers=moderator)).status_code == 200 and r.get_json(),
                      message="moderation never opened a case")
    assert case["state"] == "pending" and "email" not in case
    assert moderation.post(f"/api/v1/moderation/cases/{experience_id}/claim", headers=moderator).status_code == 200
    published = moderation.post(f"/api/v1/moderation/cases/{experience_id}/publish", json={}, headers=moderator)
    assert published.status_code == 200, published.get_data(as_text=True)

    publication = platform.client("publication")
    public = eventually(lambda: (r := publication.get(f"/api/v1/experiences/{experience_id}")).status_code == 200
                        and r.get_json(), message="the story never reached the public site")
    assert public["title"] == STORY["title"]
    assert AUTHOR not in str(public) and "30000" not in str(public)
    eventually(lambda: len(mails_to(platform, AUTHOR)) >= 2, message="no publication e-mail")
    assert "publi" in mails_to(platform, AUTHOR)[1]["Subject"].lower()

    agent = platform.login("agent.caf30@demo.spplus.fr")
    responses = platform.client("responses")
    items = eventually(lambda: responses.get("/api/v1/agent/items", headers=agent).get_json().get("items"),
                       message="the CAF du Gard never got the story to answer")
    item = next(item for item in items if str(item["experience_id"]) == experience_id)
    answer = {"greeting": "Bonjour,", "status": "traitee", "signature": "L'accueil de la CAF du Gard",
              "body": "Merci pour votre message : nous transmettons vos remerciements à l'équipe d'accueil."}
    result = responses.post(f"/api/v1/agent/items/{item['id']}/response/publish", json=answer, headers=agent)
    assert result.status_code == 200, result.get_data(as_text=True)

    answered = eventually(lambda: publication.get(f"/api/v1/experiences/{experience_id}").get_json()["responses"],
                          message="the answer never reached the public site")
    assert answered[0]["body"] == answer["body"]
    eventually(lambda: len(mails_to(platform, AUTHOR)) >= 3, message="the author was not told of the answer")

    tracking = submission.get(tracking_url)
    assert tracking.status_code == 200 and "publi" in tracking.get_data(as_text=True).lower()
    # Exactly once: three steps, three e-mails, however often events were delivered.
    assert len(mails_to(platform, AUTHOR)) == 3
