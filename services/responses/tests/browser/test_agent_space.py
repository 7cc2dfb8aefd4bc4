"""The agents' space in a real browser (Debian's Chromium through Playwright)."""
import datetime as dt

from spplus.chassis.auth import SESSION_COOKIE


def open_space(chromium, responses, live_server, javascript=True, structures=("CAF30",)):
    server = live_server(responses.harness.app)
    context = chromium.new_context(locale="fr-FR", java_script_enabled=javascript)
    context.add_cookies([{"name": SESSION_COOKIE, "url": server.url,
                          "value": responses.keys.token(roles=["agent"], structures=list(structures),
                                                        email="agent@caf30.fr")}])
    return server, context.new_page()


def test_an_agent_finds_an_overdue_story_answers_it_and_comments(chromium, responses, live_server):
    responses.publish_experience(["CAF30"], title="Attente au guichet",
                                 published_at=dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=16))
    server, page = open_space(chromium, responses, live_server)
    page.goto(server.url + "/espace-agent/")
    assert page.get_by_role("heading", level=1).inner_text() == "Expériences de mes structures"
    assert page.locator(".badge.overdue").inner_text() == "En retard"
    page.get_by_role("link", name="Attente au guichet").click()
    page.get_by_label("Bonjour,", exact=True).check()
    page.locator("#body").fill("Nous sommes désolés de cette attente ; un agent supplémentaire renforce l'accueil.")
    assert "caractères sur 3" in page.locator("#body-compteur").inner_text()  # the script's live counter
    page.locator("#signature").fill("Le responsable de l'accueil, CAF du Gard")
    page.get_by_label("Traitée", exact=True).check()
    page.get_by_role("button", name="Publier la réponse").click()
    page.get_by_text("La réponse est publiée.").wait_for()
    assert "Version 1, publiée le" in page.locator("#reponse").inner_text()
    page.locator("#comment").fill("Réponse validée avec la direction.")
    page.get_by_role("button", name="Ajouter le commentaire").click()
    page.get_by_text("Le commentaire est ajouté.").wait_for()
    assert "Réponse validée avec la direction." in page.locator("#commentaires").inner_text()
    [event] = responses.sent("response.published")
    assert event.data["greeting"] == "Bonjour," and event.data["status"] == "traitee"


def test_without_javascript_errors_are_summarised_and_reassignment_works(chromium, responses, live_server):
    experience_id = responses.publish_experience(["CAF30"], title="Courrier sans réponse")
    server, page = open_space(chromium, responses, live_server, javascript=False)
    page.goto(server.url + "/espace-agent/elements/" + responses.item_id(experience_id, "CAF30"))
    page.locator("#body").fill("Trop court")
    page.get_by_role("button", name="Publier la réponse").click()
    summary = page.get_by_role("alert")
    assert "erreurs à corriger" in summary.inner_text()
    summary.get_by_role("link", name="Réponse : La réponse doit contenir").click()
    assert page.url.endswith("#body")
    assert page.locator("#body").input_value() == "Trop court"
    assert page.locator("#body").get_attribute("aria-invalid") == "true"

    page.get_by_label("Structure", exact=True).select_option(label="Accueil de Nîmes")
    page.get_by_role("button", name="Réaffecter").click()
    page.get_by_text("L'expérience est réaffectée à Accueil de Nîmes.").wait_for()
    assert responses.items_of(experience_id) == {"CAF30": "reaffecte", "CAF30-NIM": "a_traiter"}
