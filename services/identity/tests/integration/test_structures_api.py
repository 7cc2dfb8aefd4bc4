"""The public referential API on the whole seed: search, filters, pages, detail, errors; channels; OpenAPI."""


def test_referential_api_on_the_whole_seed(full_seed):
    client = full_seed.client
    networks = client.get("/api/v1/networks").get_json()
    assert len(networks) >= 12 and {"CAF", "CPAM", "FT", "DGFIP", "URSSAF", "CNAV", "MSA", "ANTS", "PREF", "FS",
                                     "CONSULAT"} <= {n["code"] for n in networks}
    assert client.get("/api/v1/structures?per_page=1").get_json()["total"] >= 300

    # Accent- and case-insensitive matching of word starts.
    caf = client.get("/api/v1/structures?q=caf gard").get_json()
    assert [item["code"] for item in caf["items"]] == ["CAF-30"]
    assert caf["items"][0] == {**caf["items"][0], "name": "CAF du Gard", "network_code": "CAF", "city": "Nîmes",
                               "postal_code": "30000", "parent_code": "CNAF", "active": True}
    assert "DGFIP-30-SIP" in [i["code"] for i in client.get("/api/v1/structures?q=NIMES impots").get_json()["items"]]
    assert client.get("/api/v1/structures?q=ordeaux").get_json()["total"] == 0  # starts no word
    lyon = client.get("/api/v1/structures?q=impôts particuliers lyon").get_json()
    assert [item["name"] for item in lyon["items"]] == ["Service des impôts des particuliers de Lyon"]

    # Filters and pages.
    page1 = client.get("/api/v1/structures?network=caf&per_page=10").get_json()
    assert page1["total"] == 102 and page1["pages"] == 11 and len(page1["items"]) == 10
    assert {item["network_code"] for item in page1["items"]} == {"CAF"}
    page2 = client.get("/api/v1/structures?network=CAF&per_page=10&page=2").get_json()
    assert not {i["code"] for i in page1["items"]} & {i["code"] for i in page2["items"]}
    by_postal_code = client.get("/api/v1/structures?postal_code=30&network=CPAM").get_json()
    assert [item["code"] for item in by_postal_code["items"]] == ["CPAM-30"]
    beyond = client.get("/api/v1/structures?network=CAF&page=99").get_json()
    assert beyond["items"] == [] and beyond["total"] == 102

    # Detail with children; unknown code and bad parameters in French.
    detail = client.get("/api/v1/structures/dgfip-30").get_json()
    assert detail["name"] == "Direction départementale des finances publiques du Gard"
    assert {child["code"] for child in detail["children"]} == {"DGFIP-30-SIP", "DGFIP-30-SIE"}
    missing = client.get("/api/v1/structures/NOPE-99")
    assert missing.status_code == 404 and "NOPE-99" in missing.get_json()["message"]
    bad = client.get("/api/v1/structures?page=0&per_page=500&postal_code=abc")
    assert bad.status_code == 422 and set(bad.get_json()["errors"]["query"]) == {"page", "per_page", "postal_code"}


def test_channels_and_openapi(identity):
    channels = identity.client.get("/api/v1/channels").get_json()
    assert {"accueil", "telephone", "courrier", "email", "site_internet", "application_mobile", "chat", "visio",
            "reseaux_sociaux", "france_services"} <= {channel["code"] for channel in channels}
    assert all(channel["label"] for channel in channels)
    spec = identity.client.get("/openapi.json").get_json()
    assert "/api/v1/structures" in spec["paths"] and "/api/v1/auth/login" in spec["paths"]
    assert {"StructurePage", "Login", "Token"} <= set(spec["components"]["schemas"])


def test_every_replica_sees_a_change_at_its_next_search(seeded):
    """Each process keeps the referential in memory: a change made through one replica (or by an
    import in the worker) is seen by the next search of every other replica."""
    other_replica = seeded.spec.create_app(seeded.settings, seeded.database).test_client()
    assert other_replica.get("/api/v1/structures?q=caf gard").get_json()["total"] == 1
    admin = seeded.admin_client()
    created = admin.put("/api/v1/structures/CAF-30-BEAU", json={
        "name": "Antenne CAF de Beaucaire", "network": "CAF", "parent_code": "CAF-30", "postal_code": "30300",
        "city": "Beaucaire"})
    assert created.status_code == 200
    assert [i["code"] for i in other_replica.get("/api/v1/structures?q=beaucaire").get_json()["items"]] == [
        "CAF-30-BEAU"]
    assert admin.delete("/api/v1/structures/CAF-30-BEAU").status_code == 204
    assert other_replica.get("/api/v1/structures?q=beaucaire").get_json()["total"] == 0
    retired = other_replica.get("/api/v1/structures?q=beaucaire&include_retired=true").get_json()
    assert [(i["code"], i["active"]) for i in retired["items"]] == [("CAF-30-BEAU", False)]
