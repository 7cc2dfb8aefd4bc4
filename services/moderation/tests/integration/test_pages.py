"""The workspace and the author's page in a real browser (Chromium), and without JavaScript."""
import re

from spplus.chassis.auth import SESSION_COOKIE

STORY = ("Je suis allé à la préfecture pour mon titre de séjour. Mon conseiller Jean Dupont m'a donné son "
         "numéro 06 12 34 56 78 et a suivi mon dossier jusqu'au bout, avec beaucoup de patience.")


def sign_in(page, server, auth_keys, name="Alice Martin"):
    token = auth_keys.token(roles=["moderator"], subject=name, name=name, email="alice@moderation.test")
    page.context.add_cookies([{"name": SESSION_COOKIE, "value": token, "url": server.url}])


def test_pages_need_a_moderator(moderation, auth_keys):
    response = moderation.client.get("/moderation/?filtre=nouveaux")
    assert response.status_code == 302
    assert response.headers["Location"] == "/connexion?suivant=/moderation/%3Ffiltre%3Dnouveaux"
    client = moderation.client
    client.set_cookie(SESSION_COOKIE, auth_keys.token(roles=["agent"], structures=["CAF30"]))
    forbidden = client.get("/moderation/")
    assert forbidden.status_code == 403 and "Accès refusé" in forbidden.get_data(as_text=True)


def test_queue_case_findings_and_reject_with_the_keyboard(moderation, submitted, live_server, page, auth_keys, emitted):
    flagged = submitted(description=STORY, submitted_at="2026-11-02T09:00:00+00:00")
    moderation.deliver("experience.submitted", flagged)
    moderation.deliver("experience.submitted", submitted(submitted_at="2026-11-05T09:00:00+00:00"))
    server = live_server(moderation.app)
    sign_in(page, server, auth_keys)
    page.goto(f"{server.url}/moderation/")
    assert page.locator("h1").inner_text() == "File de modération"
    assert "À traiter (2)" in page.locator("nav[aria-label='Filtres de la file']").inner_text()
    page.get_by_role("link", name=re.compile("Signalés")).click()
    rows = page.locator("tbody tr")
    assert rows.count() == 1 and "Camille (30000)" in rows.first.inner_text()
    rows.first.get_by_role("link").click()
    # The story with its findings highlighted, the pseudonym and postal code, never the e-mail.
    assert page.locator("mark.finding").filter(has_text="06 12 34 56 78").count() == 1
    html = page.content()
    assert "camille.secret" not in html and "30000" in html and "Camille" in html
    page.get_by_role("button", name="Prendre en charge").click()
    assert "Vous avez pris ce dossier en charge" in page.locator("[role=status]").inner_text()
    # Reject without a reason: error summary linked to the field; then with the keyboard only.
    page.get_by_role("button", name="Refuser").click()
    summary = page.locator("#resume-erreurs")
    assert "Choisissez un motif de refus" in summary.inner_text()
    assert summary.get_by_role("link").get_attribute("href") == "#reason"
    page.get_by_label("Doublon").focus()
    page.keyboard.press("Space")
    page.get_by_label("Message à l'auteur (facultatif)").fill("Déjà publiée la semaine dernière.")
    page.get_by_role("button", name="Refuser").focus()
    page.keyboard.press("Enter")
    assert "L'expérience est refusée" in page.locator("[role=status]").inner_text()
    assert "Refus" in page.locator("#historique ~ table").inner_text()
    [event] = emitted(moderation, 1)
    assert event.type == "experience.rejected" and event.data["reason_code"] == "duplicate"


def test_one_click_redaction_editor_diff_and_author_acceptance(moderation, submitted, live_server, page, auth_keys,
                                                                emitted, chromium):
    data = submitted(description=STORY)
    moderation.deliver("experience.submitted", data)
    server = live_server(moderation.app)
    sign_in(page, server, auth_keys)
    page.goto(f"{server.url}/moderation/dossiers/{data['experience_id']}")
    page.get_by_role("button", name="Prendre en charge").click()
    page.get_by_role("link", name=re.compile("Remplacer par « \\[numéro de téléphone\\] »")).click()
    description = page.get_by_label("Récit")
    assert "[numéro de téléphone]" in description.input_value() and "06 12" not in description.input_value()
    page.get_by_role("button", name="Voir les différences").click()
    assert "Modification substantielle" not in page.locator("#nature").inner_text()
    assert "[numéro de téléphone]" in " ".join(page.locator(".story ins").all_text_contents())
    assert "06 12 34 56 78" in " ".join(page.locator(".story del").all_text_contents())
    page.get_by_label("Récit").fill("Mon conseiller à la préfecture a suivi mon titre de séjour jusqu'au bout.")
    page.get_by_label("Message à l'auteur (pour une proposition, facultatif)").fill("Nous avons retiré les noms.")
    page.get_by_role("button", name="Proposer à l'auteur").click()
    assert "La modification est proposée à l'auteur" in page.locator("[role=status]").inner_text()
    [proposed] = emitted(moderation, 1)
    # The author, without JavaScript, on the signed link.
    context = chromium.new_context(java_script_enabled=False, locale="fr-FR")
    author = context.new_page()
    author.goto(server.url + proposed.data["approval_path"])
    assert author.locator("h1").inner_text() == "Modification proposée pour votre expérience"
    assert "Nous avons retiré les noms." in author.content()
    assert author.locator(".story del").count() >= 1 and author.locator(".story ins").count() >= 1
    author.get_by_role("button", name="J'accepte la modification").click()
    assert "Votre expérience est publiée" in author.locator("[role=status]").inner_text()
    author.goto(server.url + proposed.data["approval_path"])
    assert "déjà accepté" in author.content()
    context.close()
    events = emitted(moderation, 3)
    assert [e.type for e in events][1:] == ["experience.edit_accepted", "experience.published"]


def test_statistics_page(moderation, submitted, live_server, page, auth_keys, moderator):
    data = submitted()
    moderation.deliver("experience.submitted", data)
    url = f"/api/v1/moderation/cases/{data['experience_id']}"
    headers = moderator()
    moderation.client.post(f"{url}/claim", headers=headers)
    moderation.client.post(f"{url}/reject", json={"reason": "spam"}, headers=headers)
    moderation.deliver("experience.submitted", submitted())
    api = moderation.client.get("/api/v1/moderation/statistics", headers=headers).get_json()
    assert api["queue_size"] == 1 and api["decisions"] == 1 and api["substantial_share"] == 0
    assert api["by_reason"] == [{"code": "spam", "label": "Spam ou promotion", "count": 1}]
    assert 2.9 < api["median_hours"] < 3.2
    server = live_server(moderation.app)
    sign_in(page, server, auth_keys)
    page.goto(f"{server.url}/moderation/statistiques")
    assert page.locator("#queue-size").inner_text() == "1"
    assert "Spam ou promotion" in page.locator("table").last.inner_text()
