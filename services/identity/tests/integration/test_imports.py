"""CSV import: good rows in, bad rows reported per line, idempotent, progress saved by the worker job."""
import datetime as dt
import io

from click.testing import CliRunner
from sqlalchemy import update

from spplus.identity.adapters.orm import structure_imports, utcnow

from spplus.identity.entrypoints.cli import import_structures
from spplus.identity.service_layer import imports

CSV = """code;network;name;parent_code;postal_code;city
CAF-30-ALES;CAF;Accueil CAF d'Alès;CAF-30;30100;Alès
CAF-30-BAGNOLS;caf;Accueil CAF de Bagnols-sur-Cèze;CAF-30;30200;Bagnols-sur-Cèze
BAD CODE;CAF;Nom;;30000;Nîmes
CAF-30-X;NOPE;Réseau inconnu;;;
CAF-30-ORPHAN;CAF;Sans parent connu;NOWHERE;;
CAF-30-ALES;CAF;Doublon;CAF-30;30100;Alès
CAF-30-CP;CAF;Code postal faux;CAF-30;3O000;Nîmes
CAF-30-CHILD;CAF;Enfant d'une ligne valide;CAF-30-ALES;30100;Alès
"""


def run_worker_job(harness):
    [job] = [job for job in harness.spec.jobs(harness.settings, harness.database) if job.name == "structure-imports"]
    job.run(harness.settings, harness.database)


def test_api_upload_is_imported_by_the_worker_with_a_report(seeded):
    admin = seeded.admin_client()
    response = admin.post("/api/v1/structures/imports", content_type="multipart/form-data",
                          data={"file": (io.BytesIO(CSV.encode("utf-8")), "agences.csv")})
    assert response.status_code == 202, response.get_data(as_text=True)
    created = response.get_json()
    assert created["status"] == "pending" and created["total"] == 8
    run_worker_job(seeded)
    done = admin.get(f"/api/v1/structures/imports/{created['id']}").get_json()
    assert done["status"] == "done" and done["processed"] == 8
    assert (done["inserted"], done["updated"], done["rejected"]) == (3, 0, 5)
    assert [(row["line"], row["code"], list(row["errors"])) for row in done["report"]] == [
        (4, "BAD CODE", ["code"]), (5, "CAF-30-X", ["network"]), (6, "CAF-30-ORPHAN", ["parent_code"]),
        (7, "CAF-30-ALES", ["code"]), (8, "CAF-30-CP", ["postal_code"])]
    lines = {row["line"]: row["errors"] for row in done["report"]}
    assert lines[5]["network"] == ["Réseau inconnu : « NOPE »."]
    assert lines[6]["parent_code"] == ["Structure parente inconnue : « NOWHERE »."]
    assert lines[7]["code"] == ["Code en double dans le fichier (déjà à la ligne 2)."]
    assert seeded.client.get("/api/v1/structures/CAF-30-CHILD").get_json()["parent_code"] == "CAF-30-ALES"
    events = seeded.published(3, types=("structure.upserted",))
    assert {event.data["code"] for event in events} == {"CAF-30-ALES", "CAF-30-BAGNOLS", "CAF-30-CHILD"}


def test_an_import_left_running_by_a_dead_worker_is_taken_up_again(seeded):
    admin = seeded.admin_client()
    created = admin.post("/api/v1/structures/imports", content_type="multipart/form-data",
                         data={"file": (io.BytesIO(CSV.encode("utf-8")), "agences.csv")}).get_json()
    # A worker claims it, then dies before finishing (its lease is left to run out).
    with seeded.database.unit_of_work() as session:
        session.execute(update(structure_imports).where(structure_imports.c.id == created["id"]).values(
            status="running", processed=2, lease_until=utcnow() - dt.timedelta(seconds=1)))
    run_worker_job(seeded)
    done = admin.get(f"/api/v1/structures/imports/{created['id']}").get_json()
    assert done["status"] == "done" and (done["inserted"], done["rejected"]) == (3, 5)
    # One still within its lease is someone else's work in progress: left alone.
    again = admin.post("/api/v1/structures/imports", content_type="multipart/form-data",
                       data={"file": (io.BytesIO(CSV.encode("utf-8")), "agences.csv")}).get_json()
    with seeded.database.unit_of_work() as session:
        session.execute(update(structure_imports).where(structure_imports.c.id == again["id"]).values(
            status="running", lease_until=utcnow() + dt.timedelta(minutes=5)))
    run_worker_job(seeded)
    assert admin.get(f"/api/v1/structures/imports/{again['id']}").get_json()["status"] == "running"


def test_reimport_is_idempotent_and_updates_only_what_changed(seeded):
    text = "code,network,name,parent_code,postal_code,city\nCAF-30-ALES,CAF,Accueil CAF d'Alès,CAF-30,30100,Alès\n"
    first, _ = imports.run(seeded.database.unit_of_work, text.encode())
    second, _ = imports.run(seeded.database.unit_of_work, text.encode())
    third, _ = imports.run(seeded.database.unit_of_work, text.replace("Accueil", "Agence").encode())
    assert (first.inserted, second.unchanged, third.updated) == (1, 1, 1)
    assert seeded.client.get("/api/v1/structures/CAF-30-ALES").get_json()["name"] == "Agence CAF d'Alès"


def test_unreadable_files_are_refused_with_a_french_message(seeded):
    admin = seeded.admin_client()
    missing = admin.post("/api/v1/structures/imports", content_type="multipart/form-data",
                         data={"file": (io.BytesIO(b"a,b,c\n1,2,3\n"), "x.csv")})
    assert missing.status_code == 422 and "Colonnes manquantes" in missing.get_json()["message"]
    nothing = admin.post("/api/v1/structures/imports", content_type="multipart/form-data", data={})
    assert nothing.status_code == 422


def test_cli_import_shows_progress_and_report(seeded, tmp_path, monkeypatch):
    monkeypatch.setenv("IDENTITY_DATABASE_URL", seeded.settings.database_url)
    path = tmp_path / "structures.csv"
    path.write_text(CSV, encoding="cp1252", errors="replace")
    result = CliRunner().invoke(import_structures, [str(path)])
    assert result.exit_code == 0, result.output
    assert "Import des structures" in result.output
    assert "3 créées, 0 mises à jour, 0 inchangées, 5 refusées" in result.output
    assert "ligne 5 (CAF-30-X) : Réseau inconnu : « NOPE »." in result.output
