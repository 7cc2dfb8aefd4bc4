"""Pages through the Flask client: sign-in flow, CSRF, admin pages guarded and working without JavaScript."""
import io
import re

from identity_helpers import PASSWORD, csrf_from


def _login_form(client, email, password=PASSWORD, next_path=""):
    token = csrf_from(client, "/connexion")
    return client.post("/connexion", data={"csrf_token": token, "email": email, "password": password,
                                           "suivant": next_path})


def test_login_page_is_french_and_accessible(identity):
    html = identity.client.get("/connexion").get_data(as_text=True)
    assert '<html lang="fr">' in html and "<h1>Connexion à l'espace agents</h1>" in html
    assert '<label for="email">' in html and '<label for="password">' in html
    assert 'autocomplete="current-password"' in html and 'aria-describedby="email-aide"' in html


def test_sign_in_redirects_to_the_asked_page_and_refuses_other_sites(seeded):
    seeded.account("agent@test.spplus.fr")
    wrong = _login_form(seeded.client, "agent@test.spplus.fr", "wrong password!")
    html = wrong.get_data(as_text=True)
    assert wrong.status_code == 401 and 'role="alert"' in html and "mot de passe incorrect" in html
    empty = _login_form(seeded.client, "", "")
    body = empty.get_data(as_text=True)
    assert empty.status_code == 422 and '<a href="#email">' in body and 'aria-invalid="true"' in body
    no_csrf = seeded.client.post("/connexion", data={"email": "a@b.fr", "password": "x"})
    assert no_csrf.status_code == 403 and "jeton de sécurité" in no_csrf.get_data(as_text=True)
    client = seeded.client
    response = _login_form(client, "agent@test.spplus.fr", next_path="/espace-agent/experiences")
    assert response.status_code == 303 and response.headers["Location"] == "/espace-agent/experiences"
    assert "HttpOnly" in response.headers["Set-Cookie"]
    other = _login_form(seeded.client, "agent@test.spplus.fr", next_path="//evil.example/")
    assert other.headers["Location"] == "/espace-agent"


def test_admin_pages_need_an_admin(seeded):
    seeded.account("agent@test.spplus.fr")
    anonymous = seeded.client.get("/admin/comptes")
    assert anonymous.status_code == 302 and anonymous.headers["Location"] == "/connexion?suivant=/admin/comptes"
    agent = seeded.client
    _login_form(agent, "agent@test.spplus.fr")
    assert agent.get("/admin/comptes").status_code == 403
    # An admin cannot lock themselves out.
    seeded.account("admin@test.spplus.fr", roles=("admin",), scope=())
    admin = seeded.client
    _login_form(admin, "admin@test.spplus.fr")
    me = admin.get("/api/v1/auth/me").get_json()
    token = csrf_from(admin, f"/admin/comptes/{me['id']}")
    response = admin.post(f"/admin/comptes/{me['id']}", data={"csrf_token": token, "roles": "moderator",
                                                              "active": "1"})
    assert response.status_code == 422 and "propres droits" in response.get_data(as_text=True)


def test_admin_creates_scopes_and_disables_an_agent(seeded):
    seeded.account("admin@test.spplus.fr", roles=("admin",), scope=())
    admin = seeded.client
    _login_form(admin, "admin@test.spplus.fr")
    token = csrf_from(admin, "/admin/comptes/nouveau")
    bad = admin.post("/admin/comptes/nouveau", data={"csrf_token": token, "email": "pas-une-adresse",
                                                     "roles": "agent", "structures": ""})
    html = bad.get_data(as_text=True)
    assert bad.status_code == 422 and "Adresse e-mail invalide." in html
    assert "Un agent doit être rattaché à au moins une structure." in html
    created = admin.post("/admin/comptes/nouveau", data={"csrf_token": token, "email": "nouvel.agent@test.spplus.fr",
                                                         "name": "Nouvel Agent", "roles": "agent",
                                                         "structures": "caf-30, cpam-30"})
    assert created.status_code == 303
    page = admin.get(created.headers["Location"]).get_data(as_text=True)
    assert "un lien pour choisir un mot de passe a été envoyé" in page and "CAF-30 CPAM-30" in page
    [event] = seeded.published(1, types=("agent.password_reset_requested",))
    assert event.data["email"] == "nouvel.agent@test.spplus.fr"
    account_path = created.headers["Location"].split("?")[0]
    saved = admin.post(account_path, data={"csrf_token": token, "name": "Nouvel Agent", "roles": "agent",
                                           "structures": "DGFIP-30", "active": "1"})
    assert saved.status_code == 303
    listing = admin.get("/admin/comptes?q=nouvel").get_data(as_text=True)
    assert "DGFIP-30" in listing and "Actif" in listing
    admin.post(account_path, data={"csrf_token": token, "name": "Nouvel Agent", "roles": "agent",
                                   "structures": "DGFIP-30"})  # active box unticked: disabled
    assert "Désactivé" in admin.get("/admin/comptes?q=nouvel").get_data(as_text=True)


def test_admin_imports_a_file_and_follows_its_progress(seeded):
    seeded.account("admin@test.spplus.fr", roles=("admin",), scope=())
    admin = seeded.client
    _login_form(admin, "admin@test.spplus.fr")
    token = csrf_from(admin, "/admin/structures")
    empty = admin.post("/admin/structures/import", data={"csrf_token": token}, content_type="multipart/form-data")
    assert empty.status_code == 422 and "Choisissez un fichier CSV" in empty.get_data(as_text=True)
    csv = "code,network,name,parent_code,postal_code,city\nFS-30-ALES,FS,France Services Alès,ANCT-FS,30100,Alès\n,FS,,,,\n"
    sent = admin.post("/admin/structures/import", content_type="multipart/form-data",
                      data={"csrf_token": token, "fichier": (io.BytesIO(csv.encode()), "fs.csv")})
    assert sent.status_code == 303
    waiting = admin.get(sent.headers["Location"]).get_data(as_text=True)
    assert "En attente de traitement" in waiting and 'http-equiv="refresh"' in waiting and "<progress" in waiting
    [job] = [job for job in seeded.spec.jobs(seeded.settings, seeded.database) if job.name == "structure-imports"]
    job.run(seeded.settings, seeded.database)
    done = admin.get(sent.headers["Location"]).get_data(as_text=True)
    assert "Import terminé." in done and 'http-equiv="refresh"' not in done
    assert re.search(r"Créées : <span[^>]*>1</span>", done) and "Le code est obligatoire." in done
    search = admin.get("/admin/structures?q=services ales").get_data(as_text=True)
    assert "FS-30-ALES" in search
    retired = admin.post("/admin/structures/FS-30-ALES/retirer", data={"csrf_token": token})
    assert retired.status_code == 303
    assert seeded.client.get("/api/v1/structures/FS-30-ALES").get_json()["active"] is False


def test_logout_page_and_silent_renewal(seeded):
    seeded.account("agent@test.spplus.fr")
    client = seeded.client
    _login_form(client, "agent@test.spplus.fr")
    # An open session is renewed instead of asking for the password again.
    renewed = client.get("/connexion?suivant=/espace-agent/x")
    assert renewed.status_code == 303 and renewed.headers["Location"] == "/espace-agent/x"
    token = csrf_from(client, "/connexion/mot-de-passe-oublie")
    out = client.post("/deconnexion", data={"csrf_token": token})
    assert out.status_code == 303 and "spplus_session=;" in out.headers["Set-Cookie"]
    assert "Vous êtes déconnecté." in client.get(out.headers["Location"]).get_data(as_text=True)
