"""The project's own seed referential, generated from the list of départements and regions.

Codes are stable: ``CAF-30``, ``DGFIP-30-SIP``, ``FT-OCC``, ``CONSULAT-LONDRES``… so that other
services, demo accounts and tests can name a structure for good.
"""
from __future__ import annotations

from .geography import CONSULATES, CROUS_CITIES, DEPARTEMENTS, REGION_CAPITALS, REGIONS
from .structures import Network, Structure, fold

NETWORKS: tuple[Network, ...] = (
    Network("CAF", "Caisses d'allocations familiales (CAF)"),
    Network("CPAM", "Assurance Maladie (CPAM)"),
    Network("FT", "France Travail"),
    Network("DGFIP", "Finances publiques"),
    Network("URSSAF", "Urssaf"),
    Network("CNAV", "Assurance retraite"),
    Network("MSA", "Mutualité sociale agricole (MSA)"),
    Network("ANTS", "Agence nationale des titres sécurisés (ANTS)"),
    Network("PREF", "Préfectures"),
    Network("FS", "France Services"),
    Network("CONSULAT", "Consulats de France"),
    Network("MDPH", "Maisons départementales des personnes handicapées"),
    Network("CROUS", "Crous"),
)


def _national() -> list[Structure]:
    return [
        Structure("CNAF", "Caisse nationale des allocations familiales", "CAF", None, "75014", "Paris"),
        Structure("CNAM", "Caisse nationale de l'Assurance Maladie", "CPAM", None, "75020", "Paris"),
        Structure("FT-DG", "France Travail – Direction générale", "FT", None, "75020", "Paris"),
        Structure("DGFIP", "Direction générale des Finances publiques", "DGFIP", None, "75012", "Paris"),
        Structure("URSSAF-CN", "Urssaf Caisse nationale", "URSSAF", None, "93100", "Montreuil"),
        Structure("CNAV", "Caisse nationale d'assurance vieillesse", "CNAV", None, "75019", "Paris"),
        Structure("CCMSA", "Caisse centrale de la MSA", "MSA", None, "93000", "Bobigny"),
        Structure("ANTS", "Agence nationale des titres sécurisés", "ANTS", None, "75008", "Paris"),
        Structure("ANTS-CNI", "ANTS – Carte nationale d'identité et passeport", "ANTS", "ANTS", None, None),
        Structure("ANTS-PERMIS", "ANTS – Permis de conduire", "ANTS", "ANTS", None, None),
        Structure("ANTS-IMMAT", "ANTS – Certificat d'immatriculation", "ANTS", "ANTS", None, None),
        Structure("ANCT-FS", "France Services – Programme national (ANCT)", "FS", None, "75007", "Paris"),
        Structure("MEAE-FAE", "Direction des Français à l'étranger", "CONSULAT", None, "44000", "Nantes"),
        Structure("CNSA", "Caisse nationale de solidarité pour l'autonomie", "MDPH", None, "75012", "Paris"),
        Structure("CNOUS", "Centre national des œuvres universitaires et scolaires", "CROUS", None, "75013", "Paris"),
    ]


def _regional() -> list[Structure]:
    structures = []
    for region, name in REGIONS.items():
        city, postal_code = REGION_CAPITALS[region]
        structures += [
            Structure(f"URSSAF-{region}", f"Urssaf {name}", "URSSAF", "URSSAF-CN", postal_code, city),
            Structure(f"CNAV-{region}", f"Assurance retraite {name}", "CNAV", "CNAV", postal_code, city),
            Structure(f"MSA-{region}", f"MSA {name}", "MSA", "CCMSA", postal_code, city),
            Structure(f"FT-{region}", f"France Travail – Direction régionale {name}", "FT", "FT-DG",
                      postal_code, city),
        ]
    return structures


def _departemental() -> list[Structure]:
    structures = []
    for dep in DEPARTEMENTS:
        city, postal_code, of = dep.chef_lieu, dep.postal_code, dep.of_name
        structures += [
            Structure(f"CAF-{dep.code}", f"CAF {of}", "CAF", "CNAF", postal_code, city),
            Structure(f"CPAM-{dep.code}", f"CPAM {of}", "CPAM", "CNAM", postal_code, city),
            Structure(f"DGFIP-{dep.code}", f"Direction départementale des finances publiques {of}", "DGFIP",
                      "DGFIP", postal_code, city),
            Structure(f"DGFIP-{dep.code}-SIP", f"Service des impôts des particuliers de {city}", "DGFIP",
                      f"DGFIP-{dep.code}", postal_code, city),
            Structure(f"DGFIP-{dep.code}-SIE", f"Service des impôts des entreprises de {city}", "DGFIP",
                      f"DGFIP-{dep.code}", postal_code, city),
            Structure(f"FT-{dep.code}", f"France Travail {city}", "FT", f"FT-{dep.region}", postal_code, city),
            Structure(f"PREF-{dep.code}", f"Préfecture {of}", "PREF", None, postal_code, city),
            Structure(f"FS-{dep.code}", f"France Services {city}", "FS", "ANCT-FS", postal_code, city),
            Structure(f"MDPH-{dep.code}", f"Maison départementale des personnes handicapées {of}", "MDPH",
                      "CNSA", postal_code, city),
        ]
    return structures


def _code_part(text: str) -> str:
    return fold(text).upper().replace(" ", "-")


def _others() -> list[Structure]:
    structures = [Structure(f"CROUS-{_code_part(city)}", f"Crous {name}", "CROUS", "CNOUS", postal_code, city)
                  for name, city, postal_code in CROUS_CITIES]
    structures += [Structure(f"CONSULAT-{suffix}", f"Consulat général de France à {city}", "CONSULAT",
                             "MEAE-FAE", None, city) for suffix, city in CONSULATES]
    return structures


def seed_structures() -> list[Structure]:
    """Parents always come before their children."""
    return [*_national(), *_regional(), *_departemental(), *_others()]
