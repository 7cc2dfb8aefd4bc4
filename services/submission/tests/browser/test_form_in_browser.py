"""The form in a real browser (Chromium): with JavaScript, then without."""
import re

from playwright.sync_api import expect

# A busy CI machine can take seconds to answer; assertions still fail when the page is wrong.
expect.set_options(timeout=20_000)

DESCRIPTION = ("Mon dossier de retraite était incomplet. La conseillère m'a rappelé le lendemain pour me dire "
               "exactement quelle pièce manquait, et tout a été réglé en une semaine.")


def fill_story(page):
    page.get_by_label("Titre de votre expérience").fill("Un dossier réglé en une semaine")
    page.get_by_label("Racontez votre expérience").fill(DESCRIPTION)
    page.get_by_label("Positif").check()
    page.get_by_label("Mois").select_option("02")
    page.get_by_label("Année").select_option("2026")


def fill_about(page):
    page.get_by_label("Votre adresse e-mail").fill("jeanne@example.fr")
    page.get_by_label("Code postal").fill("45000")
    page.get_by_label("J'ai lu et j'accepte").check()


def test_with_javascript_counter_and_live_search(service, live_server, page):
    server = live_server(service.app)
    page.set_default_timeout(30_000)
    page.goto(server.url + "/experiences/nouvelle")
    expect(page).to_have_title(re.compile("Étape 1 sur 4"))
    description = page.get_by_label("Racontez votre expérience")
    description.fill("Trop court")
    expect(page.locator("#description-counter")).to_have_text("10 caractères : encore 90 caractères au minimum.")
    fill_story(page)
    expect(page.locator("#description-counter")).to_contain_text("sur 1000 au maximum")
    page.get_by_role("button", name="Continuer vers votre parcours").click()

    expect(page.get_by_role("heading", name="Étape 2 sur 4 : votre parcours administratif")).to_be_visible()
    page.get_by_label("Rechercher une structure").press_sequentially("orlean", delay=30)
    add = page.get_by_role("button", name="Ajouter France Travail Orléans Nord")
    expect(add).to_be_visible()  # found as you type, without pressing "Rechercher"
    expect(page.locator("#results-status")).to_have_text("1 structure trouvée pour « orlean » :")
    add.click()
    page.get_by_role("checkbox", name="Téléphone", exact=True).check()
    page.get_by_label("Ressenti pour le canal Téléphone (facultatif)").select_option("positive")
    page.get_by_role("button", name="Continuer").click()

    fill_about(page)
    page.get_by_role("button", name="Voir le récapitulatif").click()
    expect(page.get_by_text("France Travail Orléans Nord")).to_be_visible()
    page.get_by_role("button", name="Envoyer mon expérience").click()
    expect(page.get_by_role("heading", name="Merci, votre expérience a bien été envoyée")).to_be_visible()
    page.locator("#tracking-link").click()
    expect(page.locator("#status-label")).to_have_text("Reçue")
    [event] = service.published(1)
    assert event.data["path"][0] == {"structure_code": "FT-ORLEANS", "structure_name": "France Travail Orléans Nord",
                                     "channels": [{"channel": "telephone", "feeling": "positive"}]}


def test_without_javascript_the_whole_journey_works(service, live_server, chromium):
    server = live_server(service.app)
    context = chromium.new_context(java_script_enabled=False, locale="fr-FR")
    page = context.new_page()
    page.set_default_timeout(30_000)
    try:
        page.goto(server.url + "/experiences/nouvelle")
        page.get_by_role("button", name="Continuer vers votre parcours").click()
        summary = page.get_by_role("alert")
        expect(summary).to_contain_text("Indiquez un titre.")
        summary.get_by_role("link", name="Indiquez un titre.").click()
        assert page.evaluate("document.activeElement.id") == "title"
        fill_story(page)
        page.get_by_role("button", name="Continuer vers votre parcours").click()

        search = page.get_by_label("Rechercher une structure")
        search.fill("assurance maladie")
        search.press("Enter")  # the default button of the form is "Rechercher"
        page.get_by_role("button", name="Ajouter CPAM du Val-de-Marne").click()
        page.get_by_role("checkbox", name="Accueil physique (guichet)", exact=True).check()
        page.get_by_role("button", name="Continuer").click()

        fill_about(page)
        page.get_by_role("button", name="Revenir à votre parcours").click()
        expect(page.get_by_role("checkbox", name="Accueil physique (guichet)", exact=True)).to_be_checked()
        page.get_by_role("button", name="Continuer").click()
        expect(page.get_by_label("Votre adresse e-mail")).to_have_value("jeanne@example.fr")
        page.get_by_role("button", name="Voir le récapitulatif").click()
        page.get_by_role("button", name="Envoyer mon expérience").click()
        expect(page.get_by_role("heading", name="Merci, votre expérience a bien été envoyée")).to_be_visible()
        link = page.locator("#tracking-link").get_attribute("href")
        assert link.startswith("/suivi/")
        [event] = service.published(1)
        assert event.data["tracking_path"] == link and event.data["postal_code"] == "45000"
    finally:
        context.close()
