"""The in-memory referential used by the autocomplete search: matching, order, filters, pages."""
from spplus.identity.adapters.structure_index import StructureIndex
from spplus.identity.domain.structures import Structure, query_words, search_text


def row(code, name, network="CAF", postal_code="30000", city="Nîmes", active=True):
    structure = Structure(code=code, name=name, network_code=network, parent_code=None, postal_code=postal_code,
                          city=city, active=active)
    return (code, name, network, network, None, postal_code, city, active, None, search_text(structure))


INDEX = StructureIndex(1, [
    row("CAF-30", "CAF du Gard"),
    row("CAF-30-ALES", "Antenne CAF d'Alès", postal_code="30100", city="Alès"),
    row("CROUS-30", "Crous de Nîmes – cafétéria", network="CROUS"),
    row("CAF-69", "CAF du Rhône", postal_code="69003", city="Lyon"),
    row("CAF-13", "CAF des Bouches-du-Rhône", postal_code="13003", city="Marseille", active=False),
    row("FT-30", "Agence France Travail Nîmes", network="FT"),
])


def codes(query, **options):
    arguments = {"network": None, "postal_code": None, "include_retired": False, "page": 1, "per_page": 10}
    items, total = INDEX.search(query_words(query), **{**arguments, **options})
    return [item.code for item in items], total


def test_every_word_must_start_a_word_of_the_name_city_or_postal_code():
    assert codes("caf gard") == (["CAF-30"], 1)
    assert codes("NÎMES agence") == (["FT-30"], 1)
    assert codes("ard") == ([], 0)  # inside a word: no
    assert codes("301") == (["CAF-30-ALES"], 1)
    assert codes("zzz") == ([], 0)


def test_names_starting_with_the_first_word_come_first_then_shorter_names():
    assert codes("caf") == (["CAF-30", "CAF-69", "CAF-30-ALES", "CROUS-30"], 4)


def test_filters_retired_structures_and_pages():
    assert codes("caf", network="CAF") == (["CAF-30", "CAF-69", "CAF-30-ALES"], 3)
    assert codes("", postal_code="30") == (["CAF-30", "CAF-30-ALES", "CROUS-30", "FT-30"], 4)
    assert codes("rhone") == (["CAF-69"], 1)
    assert codes("rhone", include_retired=True) == (["CAF-69", "CAF-13"], 2)
    assert codes("caf", per_page=2, page=2) == (["CAF-30-ALES", "CROUS-30"], 4)
    assert codes("caf", per_page=2, page=3) == ([], 4)
