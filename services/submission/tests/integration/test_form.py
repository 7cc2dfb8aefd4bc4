"""The multi-step form, driven as a browser without JavaScript would (plain form posts)."""
import re

from sqlalchemy import func, select

from spplus.submission.adapters.orm import drafts, experiences

DESCRIPTION = ("Je suis allé à l'accueil pour déclarer une naissance. On m'a orienté vers le bon guichet et "
               "tout a été fait en vingt minutes, avec des explications claires.")


def html_of(response):
    return response.get_data(as_text=True)


class Browser:
    def __init__(self, service):
        self.client = service.client
        self.client.get("/experiences/nouvelle")
        self.csrf = self.client.get_cookie("spplus_csrf").value

    def get(self, url):
        return self.client.get(url, headers={"Accept": "text/html"})

    def post(self, url, data, follow=False):
        return self.client.post(url, data={"csrf_token": self.csrf, **data}, follow_redirects=follow,
                                environ_base={"REMOTE_ADDR": "198.51.100.30"})


def test_the_whole_journey_keeps_everything_and_ends_with_a_tracking_link(service):
    browser = Browser(service)
    page = html_of(browser.get("/experiences/nouvelle"))
    assert "Étape 1 sur 4" in page and "N'écrivez aucune donnée personnelle" in page
    assert '<script src="/static/submission/form.js" defer></script>' in page

    # Step 1 with mistakes: everything typed comes back, with an error summary linked to the fields.
    response = browser.post("/experiences/nouvelle", {"title": "Bof", "description": "Trop court",
                                                      "feeling": "negative", "experienced_month": "03",
                                                      "action": "next"})
    page = html_of(response)
    assert response.status_code == 200 and "<title>Erreur : " in page
    assert 'href="#title"' in page and 'href="#description"' in page and 'href="#experienced_month"' in page
    assert 'aria-describedby="title-hint title-error" aria-invalid="true"' in page
    assert 'value="Bof"' in page and "Trop court</textarea>" in page and 'value="negative" checked' in page
    response = browser.post("/experiences/nouvelle", {"title": "Une naissance déclarée vite", "description": DESCRIPTION,
                                                      "feeling": "positive", "experienced_month": "03",
                                                      "experienced_year": "2026", "action": "next"})
    assert response.status_code == 303 and response.headers["Location"].endswith("/experiences/nouvelle/parcours")

    # Step 2: search, add, tick channels; nothing is lost when searching again.
    page = html_of(browser.post("/experiences/nouvelle/parcours", {"q": "creteil", "action": "search"}, follow=True))
    assert "1 structure trouvée" in page and 'value="add:CPAM94"' in page
    response = browser.post("/experiences/nouvelle/parcours", {"q": "creteil", "action": "add:CPAM94"})
    assert response.status_code == 303
    page = html_of(browser.post("/experiences/nouvelle/parcours", {"structure-0": "CPAM94", "action": "next"}))
    assert "Indiquez au moins un moyen de contact" in page and 'href="#channels-0-accueil"' in page
    browser.post("/experiences/nouvelle/parcours", {"structure-0": "CPAM94", "channels-0": ["accueil", "telephone"],
                                                    "feeling-0-accueil": "positive", "q": "allocations",
                                                    "action": "search"})
    browser.post("/experiences/nouvelle/parcours", {"structure-0": "CPAM94", "channels-0": ["accueil", "telephone"],
                                                    "feeling-0-accueil": "positive", "action": "add:CAF75"})
    page = html_of(browser.get("/experiences/nouvelle/parcours"))
    assert 'id="channels-0-accueil" name="channels-0" value="accueil" checked' in page
    assert '<option value="positive" selected>' in page
    assert "Caisse d&#39;allocations familiales de Paris" in page
    response = browser.post("/experiences/nouvelle/parcours", {
        "structure-0": "CPAM94", "channels-0": ["accueil", "telephone"], "feeling-0-accueil": "positive",
        "structure-1": "CAF75", "channels-1": "email", "feeling-1-email": "negative", "action": "next"})
    assert response.headers["Location"].endswith("/experiences/nouvelle/coordonnees")

    # An inactive or unknown structure cannot be added, even by a forged button.
    for forged in ("add:SIP-OLD", "add:CAF\x0075"):
        page = html_of(browser.post("/experiences/nouvelle/parcours", {"action": forged}))
        assert "Cette structure n&#39;est pas disponible" in page

    # Step 3: about you; going back keeps what was typed.
    page = html_of(browser.get("/experiences/nouvelle/coordonnees"))
    assert 'href="/conditions-generales-d-utilisation"' in page and "jamais publiés" in page
    page = html_of(browser.post("/experiences/nouvelle/coordonnees", {"email": "pas-un-email", "action": "next"}))
    assert "Adresse e-mail invalide" in page and "Indiquez votre code postal ou votre ville." in page
    assert "Vous devez accepter les conditions" in page
    browser.post("/experiences/nouvelle/coordonnees", {"email": "lea@example.fr", "city": "Créteil", "action": "back"})
    page = html_of(browser.get("/experiences/nouvelle/coordonnees"))
    assert 'value="lea@example.fr"' in page and 'value="Créteil"' in page
    response = browser.post("/experiences/nouvelle/coordonnees", {"email": "lea@example.fr", "city": "Créteil",
                                                                  "pseudonym": "Léa", "accept_terms": "oui",
                                                                  "action": "next"})
    assert response.headers["Location"].endswith("/experiences/nouvelle/recapitulatif")

    # Summary, then sending.
    page = html_of(browser.get("/experiences/nouvelle/recapitulatif"))
    assert "Une naissance déclarée vite" in page and "mars 2026" in page and "CPAM du Val-de-Marne" in page
    assert "Accueil physique (guichet)" in page and "lea@example.fr" in page
    response = browser.post("/experiences/nouvelle/recapitulatif", {"action": "send"})
    assert response.headers["Location"].endswith("/experiences/nouvelle/confirmation")
    page = html_of(browser.get("/experiences/nouvelle/confirmation"))
    link = re.search(r'id="tracking-link" href="(/suivi/[^"]+)"', page).group(1)
    [event] = service.published(1)
    assert event.data["tracking_path"] == link
    assert event.data["city"] == "Créteil" and event.data["postal_code"] is None
    assert event.data["path"][0]["channels"] == [{"channel": "accueil", "feeling": "positive"},
                                                 {"channel": "telephone", "feeling": None}]
    assert event.data["experienced_on"] == "2026-03" and event.data["pseudonym"] == "Léa"
    assert "Reçue" in html_of(browser.get(link))

    # Sending twice (back button, double click) is still one story; the form then starts afresh.
    browser.post("/experiences/nouvelle/recapitulatif", {"action": "send"})
    with service.database.unit_of_work() as session:
        assert session.scalar(select(func.count()).select_from(experiences)) == 1
        assert session.execute(select(drafts.c.data)).scalar_one() == {}
    assert "Une naissance" not in html_of(browser.get("/experiences/nouvelle"))


def test_a_summary_with_missing_parts_sends_back_to_the_step_to_fix(service):
    browser = Browser(service)
    browser.post("/experiences/nouvelle", {"title": "Titre correct", "description": DESCRIPTION, "action": "next"})
    response = browser.post("/experiences/nouvelle/recapitulatif", {"action": "send"})
    assert response.headers["Location"].endswith("/experiences/nouvelle/parcours?verifier=1")
    page = html_of(browser.get("/experiences/nouvelle/parcours?verifier=1"))
    assert "Ajoutez au moins une structure à votre parcours." in page
    # Without the CSRF token, nothing is saved.
    response = browser.client.post("/experiences/nouvelle", data={"title": "x", "action": "next"})
    assert response.status_code == 403 and "jeton de sécurité" in html_of(response)
    assert 'value="Titre correct"' in html_of(browser.get("/experiences/nouvelle"))


