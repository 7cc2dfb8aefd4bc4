"""Rules of the referential and of accounts, without I/O."""
import pytest

from spplus.identity.adapters import passwords
from spplus.identity.domain.accounts import password_problems, role_problems
from spplus.identity.domain.seed import NETWORKS, seed_structures
from spplus.identity.domain.structures import (CODE_PATTERN, InvalidStructure, Structure, clean, creates_cycle,
                                               fold, query_words, search_text)


def test_fold_removes_accents_case_and_punctuation():
    assert fold("  Préfecture de l'Hérault — Œuvre  ") == "prefecture de l herault oeuvre"
    assert query_words("Impôts, NÎMES!") == ["impots", "nimes"]
    assert query_words("CAF du Gard") == ["caf", "gard"] and query_words("de la") == ["de", "la"]


def test_search_text_has_word_starts_of_name_city_and_postal_code():
    text = search_text(Structure("CAF-30", "CAF du Gard", "CAF", None, "30000", "Nîmes"))
    assert text == " caf du gard nimes 30000 "


def test_seed_is_large_varied_and_consistent():
    structures = seed_structures()
    codes = [s.code for s in structures]
    assert len(structures) >= 300 and len(set(codes)) == len(codes)
    assert len({s.network_code for s in structures}) == len(NETWORKS) >= 12
    assert all(CODE_PATTERN.match(code) for code in codes)
    seen = set()
    for structure in structures:  # parents come first
        assert structure.parent_code is None or structure.parent_code in seen
        seen.add(structure.code)
    names = {s.code: s.name for s in structures}
    assert names["CAF-30"] == "CAF du Gard" and names["CPAM-01"] == "CPAM de l'Ain"
    assert names["DGFIP-69-SIP"] == "Service des impôts des particuliers de Lyon"
    assert names["PREF-40"] == "Préfecture des Landes"


def test_clean_reports_every_problem_in_french():
    with pytest.raises(InvalidStructure) as error:
        clean({"code": "bad code", "name": "", "network": "X", "postal_code": "123"}, {"CAF"})
    assert set(error.value.errors) == {"code", "name", "network", "postal_code"}
    ok = clean({"code": " caf-30-ales ", "name": " Accueil   d'Alès ", "network": "caf", "parent_code": "caf-30"},
               {"CAF"}, {"CAF-30"})
    assert (ok.code, ok.name, ok.network_code, ok.parent_code) == ("CAF-30-ALES", "Accueil d'Alès", "CAF", "CAF-30")


def test_cycles_are_detected():
    parents = {"A": None, "B": "A", "C": "B"}
    assert creates_cycle("A", "C", parents) and not creates_cycle("D", "C", parents)


def test_password_and_role_rules():
    assert password_problems("court") == ["Le mot de passe doit contenir au moins 12 caractères."]
    assert password_problems("agent@test.spplus.fr", "Agent@test.spplus.fr")
    assert not password_problems("une phrase de passe assez longue")
    assert role_problems({"agent"}, set()) == {"structures": ["Un agent doit être rattaché à au moins une structure."]}
    assert "roles" in role_problems({"king"}, set())


def test_argon2id_with_rfc9106_parameters_by_default(monkeypatch):
    monkeypatch.delenv("IDENTITY_ARGON2_PROFILE", raising=False)
    hasher = passwords._current()
    assert (hasher.type.name, hasher.memory_cost, hasher.time_cost) == ("ID", 64 * 1024, 3)
    monkeypatch.setenv("IDENTITY_ARGON2_PROFILE", "CHEAPEST")  # same code, cheap parameters, for speed
    hashed = passwords.hash_password("une phrase de passe assez longue")
    assert hashed.startswith("$argon2id$")
    assert passwords.verify_password(hashed, "une phrase de passe assez longue")
    assert not passwords.verify_password(hashed, "autre chose")
    assert not passwords.verify_password(None, "autre chose")
