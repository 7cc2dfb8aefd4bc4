"""The agents' space pages, without JavaScript (Flask client): login redirect, inbox, editor,
error summary, comments, reassignment, transfer, scope and CSRF."""
import datetime as dt
import re

from spplus.chassis.auth import SESSION_COOKIE


def signed_in(responses, structures=("CAF30",), roles=("agent",)):
    client = responses.harness.app.test_client()
    client.set_cookie(SESSION_COOKIE, responses.keys.token(roles=roles, structures=structures,
                                                           email="agent@caf30.fr"))
    return client


def csrf(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def test_without_a_session_the_agent_goes_to_the_login_page_and_comes_back(bare_app):
    response = bare_app.test_client().get("/espace-agent/?state=brouillon")
    assert response.status_code == 302
    assert response.headers["Location"] == "/connexion?suivant=%2Fespace-agent%2F%3Fstate%3Dbrouillon"


def test_inbox_by_state_with_overdue_marker_and_search(responses):
    now = dt.datetime.now(dt.timezone.utc)
    responses.publish_experience(["CAF30"], published_at=now - dt.timedelta(days=16), title="Dossier en souffrance")
    responses.publish_experience(["CAF30-NIM"], title="Accueil téléphonique saturé")
    client = signed_in(responses)
    html = client.get("/espace-agent/").get_data(as_text=True)
    assert '<html lang="fr">' in html and "Dossier en souffrance" in html and "Accueil téléphonique saturé" in html
    assert html.count("En retard</span>") == 1
    assert "À traiter (2)" in html and "Brouillon (0)" in html
    searched = client.get("/espace-agent/?q=t%C3%A9l%C3%A9phonique").get_data(as_text=True)
    assert "Accueil téléphonique saturé" in searched and "Dossier en souffrance" not in searched
    late = client.get("/espace-agent/?overdue=true").get_data(as_text=True)
    assert "Dossier en souffrance" in late and "Accueil téléphonique saturé" not in late
    assert "Aucune expérience" in client.get("/espace-agent/?state=repondu").get_data(as_text=True)
    # Bad filters never give a 5xx.
    assert client.get("/espace-agent/?state=perdu&page=-3").status_code == 200
    assert signed_in(responses, structures=("CAF34",)).get("/espace-agent/").get_data(as_text=True).count(
        "<tbody>") == 0

    dashboard = client.get("/espace-agent/tableau-de-bord").get_data(as_text=True)
    assert "Tableau de bord" in dashboard and "CAF du Gard" in dashboard
    assert re.search(r'id="retard">1<', dashboard) and re.search(r'id="taux">0.0 %<', dashboard)
    assert client.get("/espace-agent/tableau-de-bord?structure=CAF34").status_code == 403


def test_editor_shows_errors_linked_to_fields_then_publishes(responses):
    item_id = responses.item_id(responses.publish_experience(["CAF30"]), "CAF30")
    client = signed_in(responses)
    page = client.get(f"/espace-agent/elements/{item_id}").get_data(as_text=True)
    assert "J&#39;ai attendu deux heures" in page and "Madame, Monsieur," in page
    token = csrf(page)
    form = {"csrf_token": token, "action": "publish", "body": "Trop court", "signature": "", "action_rows": "2",
            "tags": "accueil, Accueil, délais"}
    refused = client.post(f"/espace-agent/elements/{item_id}/reponse", data=form)
    html = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert 'href="#body"' in html and 'href="#greeting"' in html and 'href="#signature"' in html
    assert 'aria-describedby="body-aide body-erreur" aria-invalid="true"' in html
    assert ">Trop court</textarea>" in html  # what was typed is kept

    form.update({"greeting": "Bonjour,", "body": "Merci pour votre retour, nous revoyons l'organisation de l'accueil.",
                 "signature": "La directrice, CAF du Gard", "status": "amelioration_envisagee",
                 "action-0-kind": "considered", "action-0-description": "Prise de rendez-vous en ligne",
                 "general-relation": "negative"})
    published = client.post(f"/espace-agent/elements/{item_id}/reponse", data=form)
    assert published.status_code == 303
    page = client.get(published.headers["Location"]).get_data(as_text=True)
    assert "La réponse est publiée." in page and "Version 1, publiée le" in page
    assert "La vérification automatique n&#39;a pas pu être effectuée" in page
    [event] = responses.sent("response.published")
    assert event.data["tags"] == ["accueil", "délais"] and event.data["general_tags"] == {"relation": "negative"}
    assert event.data["actions"] == [{"kind": "considered", "description": "Prise de rendez-vous en ligne"}]

    form.update({"body": form["body"] + " Le service est désormais ouvert le samedi."})
    client.post(f"/espace-agent/elements/{item_id}/reponse", data=form)
    page = client.get(f"/espace-agent/elements/{item_id}").get_data(as_text=True)
    assert "version 2, modifiée le" in page


def test_comment_reassign_and_transfer_forms(responses):
    experience_id = responses.publish_experience(["CAF30"])
    item_id = responses.item_id(experience_id, "CAF30")
    client = signed_in(responses)
    token = csrf(client.get(f"/espace-agent/elements/{item_id}").get_data(as_text=True))
    base = f"/espace-agent/elements/{item_id}"

    empty = client.post(base + "/commentaires", data={"csrf_token": token, "body": "  "})
    assert empty.status_code == 422 and 'href="#comment"' in empty.get_data(as_text=True)
    assert client.post(base + "/commentaires", data={"csrf_token": token, "body": "À voir lundi"}).status_code == 303
    assert client.post(base + "/transfert", data={"csrf_token": token, "reason": "Relève de la CPAM"}).status_code == 303
    page = client.get(base).get_data(as_text=True)
    assert "À voir lundi" in page and "Relève de la CPAM" in page

    moved = client.post(base + "/reaffectation", data={"csrf_token": token, "structure_code": "CAF30-ALE"})
    assert moved.status_code == 303
    assert "réaffectée à Accueil d&#39;Alès" in client.get(base).get_data(as_text=True)
    assert responses.items_of(experience_id) == {"CAF30": "reaffecte", "CAF30-ALE": "a_traiter"}


def test_outside_the_scope_or_without_csrf_token_is_refused(responses):
    item_id = responses.item_id(responses.publish_experience(["CAF30"]), "CAF30")
    outsider = signed_in(responses, structures=("CAF34",))
    page = outsider.get(f"/espace-agent/elements/{item_id}")
    assert page.status_code == 403 and "Accès refusé" in page.get_data(as_text=True)
    token = csrf(outsider.get("/espace-agent/").get_data(as_text=True)) if "csrf_token" in outsider.get(
        "/espace-agent/").get_data(as_text=True) else None
    posted = outsider.post(f"/espace-agent/elements/{item_id}/commentaires", data={"csrf_token": token or "", "body": "x"})
    assert posted.status_code == 403
    insider = signed_in(responses)
    assert insider.post(f"/espace-agent/elements/{item_id}/commentaires", data={"body": "x"}).status_code == 403
    assert insider.get("/espace-agent/elements/inconnu").status_code == 404


def test_moderators_read_the_story_and_comment_but_do_not_answer(responses):
    item_id = responses.item_id(responses.publish_experience(["CAF30"]), "CAF30")
    moderator = signed_in(responses, structures=(), roles=("moderator",))
    page = moderator.get(f"/espace-agent/elements/{item_id}").get_data(as_text=True)
    assert "Le récit" in page and "Commentaires internes" in page and 'id="body"' not in page
    token = csrf(page)
    assert moderator.post(f"/espace-agent/elements/{item_id}/commentaires",
                          data={"csrf_token": token, "body": "Vu par la modération"}).status_code == 303
    refused = moderator.post(f"/espace-agent/elements/{item_id}/reponse",
                             data={"csrf_token": token, "action": "publish", "body": "x" * 30})
    assert refused.status_code == 403
    assert "(modération)" in signed_in(responses).get(f"/espace-agent/elements/{item_id}").get_data(as_text=True)
