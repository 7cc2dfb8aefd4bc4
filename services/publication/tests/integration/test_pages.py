"""Pages: content, figures, and the public site in a real browser (also without JavaScript)."""
import re

import pytest

from spplus.publication.entrypoints.pages import CONTENT_PAGES


def test_content_pages_render_their_markdown(publication):
    for slug in CONTENT_PAGES:
        response = publication.client.get(f"/{slug}")
        assert response.status_code == 200, slug
        assert response.headers["Content-Security-Policy"].startswith("default-src 'self'")
        assert "<h1" in response.get_data(as_text=True)
    engagements = publication.client.get("/engagements").get_data(as_text=True)
    assert len(re.findall(r"<h2 id=", engagements)) == 8


def test_results_show_counts_share_answered_and_median_delay_by_network(publication, seed, events):
    structures = [events.structure(), events.structure(code="CPAM75", name="CPAM de Paris", network_code="CPAM",
                                                       network_name="Assurance maladie")]
    caf = [events.published() for _ in range(3)]
    cpam = events.published(structures=("CPAM75",))
    import datetime as dt

    answers = [events.response(caf[0]["experience_id"], published_at=dt.datetime.fromisoformat(caf[0]["published_at"]) + dt.timedelta(hours=2)),
               events.response(caf[1]["experience_id"], published_at=dt.datetime.fromisoformat(caf[1]["published_at"]) + dt.timedelta(days=4))]
    seed(*caf, cpam, structures=structures, responses=answers)
    html = publication.client.get("/resultats").get_data(as_text=True)
    assert "<strong>4</strong> expériences publiées" in html and "<strong>50.0 %</strong> de réponses" in html
    # median of 2 h and 96 h = 49 h → "2 jours"
    assert "<strong>2 jours</strong>" in html
    row = re.search(r"Caisses d&#39;allocations familiales</a></th>(.*?)</tr>", html, re.S).group(1)
    assert re.findall(r"<td>(.*?)</td>", row) == ["3", "2", "66.7 %", "2 jours"]
    assert "Assurance maladie" in html


def test_home_and_search_in_a_browser(publication, seed, events, live_server, page):
    seed(events.published(title="Carte grise obtenue rapidement"), events.published(title="Aide au logement"),
         structures=[events.structure()])
    server = live_server(publication.app)
    page.goto(server.url + "/")
    cta = page.get_by_role("main").get_by_role("link", name="Partager mon expérience")
    assert cta.get_attribute("href") == "/experiences/nouvelle"
    assert page.get_by_role("heading", level=1).count() == 1
    page.get_by_label("Mots recherchés").fill("cartes grises")
    page.get_by_role("button", name="Rechercher").click()
    page.wait_for_url(re.compile(r"/experiences\?q="))
    assert page.get_by_role("heading", name=re.compile("1 expérience pour")).is_visible()
    page.get_by_role("link", name="Carte grise obtenue rapidement").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Carte grise obtenue rapidement"


@pytest.fixture
def page_without_js(chromium):
    context = chromium.new_context(locale="fr-FR", java_script_enabled=False)
    yield context.new_page()
    context.close()


def test_votes_work_without_javascript(publication, seed, events, live_server, page_without_js):
    story = events.published(title="Un accueil très attentif")
    seed(story, responses=[events.response(story["experience_id"])], structures=[events.structure()])
    server = live_server(publication.app)
    page = page_without_js
    page.goto(f"{server.url}/experiences/{story['experience_id']}")
    assert page.get_by_text("Action réalisée").is_visible()
    page.get_by_role("button", name="J'ai vécu une expérience similaire").click()
    page.wait_for_url(re.compile(r"vote=similaire"))
    assert page.locator(".alert").inner_text().startswith("Merci : votre expérience similaire a été comptée")
    assert page.get_by_text("1 personne a vécu une expérience similaire").is_visible()
    page.get_by_role("group", name="Cette réponse vous a-t-elle été utile ?").get_by_role("button", name="Oui").click()
    page.wait_for_url(re.compile(r"vote=utile"))
    assert page.get_by_text("Vous avez jugé cette réponse utile").is_visible()
    assert page.get_by_text("1 personne l'a jugée utile, 0 peu utile").is_visible()


def test_listing_page_keeps_filters_and_paginates(publication, seed, events):
    import datetime as dt

    base = dt.datetime(2026, 3, 1, tzinfo=dt.timezone.utc)
    stories = [events.published(title=f"Histoire numéro {index}", published_at=base + dt.timedelta(hours=index))
               for index in range(25)]
    seed(*stories, structures=[events.structure()])
    html = publication.client.get("/experiences?feeling=positive&network=CAF").get_data(as_text=True)
    assert "25 expériences" in html and "Page 1 sur 2" in html
    assert 'value="positive" checked' in html and '<option value="CAF" selected>' in html
    next_link = re.search(r'href="([^"]+)" rel="next"', html).group(1).replace("&amp;", "&")
    assert "page=2" in next_link and "network=CAF" in next_link
    second = publication.client.get(next_link).get_data(as_text=True)
    assert "Histoire numéro 4<" in second and "Histoire numéro 0<" in second and "Histoire numéro 5<" not in second
    assert 'rel="prev"' in second and 'rel="next"' not in second


def test_votes_are_enhanced_with_javascript_without_leaving_the_page(publication, seed, events, live_server, page):
    story = events.published(title="Un accueil très attentif")
    seed(story, responses=[events.response(story["experience_id"])], structures=[events.structure()])
    server = live_server(publication.app)
    url = f"{server.url}/experiences/{story['experience_id']}"
    page.goto(url)
    page.get_by_role("button", name="J'ai vécu une expérience similaire").click()
    page.get_by_text("Merci : votre expérience similaire a été comptée.").first.wait_for()
    assert page.url == url  # no reload
    assert page.locator("[data-similar-count]").inner_text() == "1"
    page.get_by_role("group", name="Cette réponse vous a-t-elle été utile ?").get_by_role("button", name="Non").click()
    page.get_by_text("0 personne l'a jugée utile, 1 peu utile.").wait_for()
    assert page.url == url
    page.reload()
    assert page.get_by_text("Vous avez indiqué avoir vécu une expérience similaire").is_visible()
    assert page.get_by_text("Vous avez jugé cette réponse peu utile").is_visible()
