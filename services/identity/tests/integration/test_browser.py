"""The sign-in page in a real browser, with and without JavaScript."""
from playwright.sync_api import expect

from identity_helpers import PASSWORD


def test_sign_in_with_the_keyboard_and_errors_summary(seeded, live_server, page):
    seeded.account("admin@test.spplus.fr", roles=("admin",), scope=())
    server = live_server(seeded.app)
    page.goto(f"{server.url}/admin/comptes")
    assert page.url == f"{server.url}/connexion?suivant=/admin/comptes"
    page.get_by_label("Adresse e-mail professionnelle").fill("admin@test.spplus.fr")
    page.get_by_label("Mot de passe", exact=True).fill("not the right one")
    page.get_by_label("Mot de passe", exact=True).press("Enter")
    summary = page.locator("#resume-erreurs")
    assert "Adresse e-mail ou mot de passe incorrect." in summary.inner_text()
    assert page.evaluate("document.activeElement.id") == "resume-erreurs"  # focused by identity.js
    page.get_by_label("Mot de passe", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"{server.url}/admin/comptes")
    assert page.get_by_role("heading", level=1).inner_text() == "Comptes"
    cookies = {cookie["name"]: cookie for cookie in page.context.cookies()}
    assert cookies["spplus_session"]["httpOnly"] and cookies["spplus_session"]["sameSite"] == "Lax"
    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_url(f"{server.url}/connexion?message=deconnecte")
    assert "spplus_session" not in {cookie["name"] for cookie in page.context.cookies()}


def test_sign_in_works_without_javascript(seeded, live_server, chromium):
    seeded.account("agent@test.spplus.fr")
    server = live_server(seeded.app)
    context = chromium.new_context(java_script_enabled=False, locale="fr-FR")
    page = context.new_page()
    try:
        page.goto(f"{server.url}/connexion?suivant=/api/v1/auth/me")
        page.fill("#email", "agent@test.spplus.fr")
        page.fill("#password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{server.url}/api/v1/auth/me")
        assert '"email":"agent@test.spplus.fr"' in page.content().replace(" ", "")
    finally:
        context.close()


def test_import_progress_is_followed_by_the_script(seeded, live_server, page, tmp_path):
    seeded.account("admin@test.spplus.fr", roles=("admin",), scope=())
    server = live_server(seeded.app)
    page.goto(f"{server.url}/connexion?suivant=/admin/structures")
    page.get_by_label("Adresse e-mail professionnelle").fill("admin@test.spplus.fr")
    page.get_by_label("Mot de passe", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"{server.url}/admin/structures")
    csv = tmp_path / "fs.csv"
    csv.write_text("code;network;name;parent_code;postal_code;city\n"
                   "FS-30-UZES;FS;France Services Uzès;ANCT-FS;30700;Uzès\nX;NOPE;Sans réseau;;;\n")
    page.get_by_label("Fichier CSV").set_input_files(str(csv))
    page.get_by_role("button", name="Importer").click()
    page.wait_for_url(f"{server.url}/admin/imports/*")
    assert "En attente de traitement" in page.locator("#import-etat").inner_text()
    assert page.locator('meta[http-equiv="refresh"]').count() == 0  # the script polls the API instead
    [job] = [job for job in seeded.spec.jobs(seeded.settings, seeded.database) if job.name == "structure-imports"]
    job.run(seeded.settings, seeded.database)  # what the worker does
    expect(page.locator("#import-etat")).to_contain_text("Import terminé", timeout=15_000)
    assert page.locator("#import-inserted").inner_text() == "1"
    assert "Réseau inconnu : « NOPE »." in page.locator("table").inner_text()
