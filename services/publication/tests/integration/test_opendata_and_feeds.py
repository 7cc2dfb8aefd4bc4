"""Open data (CSV and JSON, streamed) and Atom feeds."""
import csv
import io
import json
import xml.etree.ElementTree as ET

from spplus.publication.adapters.opendata import COLUMNS

ATOM = "{http://www.w3.org/2005/Atom}"


def test_csv_and_json_follow_the_national_export_without_personal_data(publication, seed, events):
    structures = [events.structure()]
    answered, silent = events.published(), events.published(feeling="negative", structures=("CAF30", "UNKNOWN"))
    seed(answered, silent, structures=structures, responses=[events.response(answered["experience_id"])])
    response = publication.client.get("/api/v1/opendata/experiences.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv" and response.is_streamed
    text = response.get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0].keys()) == COLUMNS
    assert {"id_experience", "titre", "description", "ressenti_usager", "intitule_typologie_1",
            "intitule_structure_1", "reponse_structure_1", "ecrit_le", "date_de_publication",
            "date_de_premiere_reponse"} <= set(COLUMNS)
    by_id = {row["id_experience"]: row for row in rows}
    row = by_id[answered["experience_id"]]
    assert row["intitule_typologie_1"] == "Caisses d'allocations familiales"
    assert row["intitule_structure_1"] == "CAF du Gard" and row["canaux_1"] == "Téléphone|Guichet"
    assert "renforcé l'accueil téléphonique" in row["reponse_structure_1"]
    assert row["actions_amelioration_1"].startswith("réalisée : Rappel")
    assert row["date_de_premiere_reponse"].startswith("2026-03-10T14:00")
    assert by_id[silent["experience_id"]]["ressenti_usager"] == "négatif"
    assert by_id[silent["experience_id"]]["code_structure_2"] == "UNKNOWN"
    assert "Camille30" not in text and "30000" not in text and "@" not in text
    as_json = json.loads(publication.client.get("/api/v1/opendata/experiences.json").get_data(as_text=True))
    assert {item["id_experience"] for item in as_json} == set(by_id)
    referential = json.loads(publication.client.get("/api/v1/opendata/structures.json").get_data(as_text=True))
    assert referential == [{"code_structure": "CAF30", "intitule_structure": "CAF du Gard", "code_typologie": "CAF",
                            "intitule_typologie": "Caisses d'allocations familiales", "code_structure_parente": "",
                            "code_postal_structure": "30000", "commune_structure": "Nîmes", "active": True}]
    assert publication.client.get("/api/v1/opendata/structures.csv").get_data(as_text=True).startswith("code_structure,")


def test_atom_feeds_overall_and_per_structure(publication, seed, events):
    structures = [events.structure(), events.structure(code="CPAM75", name="CPAM de Paris", network_code="CPAM",
                                                       network_name="Assurance maladie")]
    caf, cpam = events.published(title="Histoire à la CAF"), events.published(title="Histoire à la CPAM",
                                                                               structures=("CPAM75",))
    seed(caf, cpam, structures=structures)
    overall = publication.client.get("/experiences/flux.atom")
    assert overall.mimetype == "application/atom+xml"
    titles = [entry.find(f"{ATOM}title").text for entry in ET.fromstring(overall.data).iter(f"{ATOM}entry")]
    assert sorted(titles) == ["Histoire à la CAF", "Histoire à la CPAM"]
    per_structure = ET.fromstring(publication.client.get("/structures/CPAM75/flux.atom").data)
    entries = list(per_structure.iter(f"{ATOM}entry"))
    assert [entry.find(f"{ATOM}title").text for entry in entries] == ["Histoire à la CPAM"]
    assert entries[0].find(f"{ATOM}link").get("href").endswith(f"/experiences/{cpam['experience_id']}")
    assert "CPAM de Paris" in per_structure.find(f"{ATOM}title").text
    assert publication.client.get("/structures/INCONNUE/flux.atom").status_code == 404
