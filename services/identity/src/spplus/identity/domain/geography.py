"""French départements and regions, written for the seed referential.

Each département: code, name, the article used in "CAF <article><name>" ("du ", "de la ",
"de l'", "des ", "de "), its chef-lieu, the chef-lieu's postal code, and its region code.
"""
from __future__ import annotations

import dataclasses

REGIONS = {
    "ARA": "Auvergne-Rhône-Alpes", "BFC": "Bourgogne-Franche-Comté", "BRE": "Bretagne",
    "CVL": "Centre-Val de Loire", "COR": "Corse", "GES": "Grand Est", "HDF": "Hauts-de-France",
    "IDF": "Île-de-France", "NOR": "Normandie", "NAQ": "Nouvelle-Aquitaine", "OCC": "Occitanie",
    "PDL": "Pays de la Loire", "PAC": "Provence-Alpes-Côte d'Azur", "GUA": "Guadeloupe",
    "MTQ": "Martinique", "GUY": "Guyane", "REU": "La Réunion", "MAY": "Mayotte",
}


@dataclasses.dataclass(frozen=True)
class Departement:
    code: str
    name: str
    article: str
    chef_lieu: str
    postal_code: str
    region: str

    @property
    def of_name(self) -> str:
        """"du Gard", "de l'Ain", "des Landes", "de la Somme", "de Paris"."""
        return f"{self.article}{self.name}"


_D = Departement
DEPARTEMENTS: tuple[Departement, ...] = (
    _D("01", "Ain", "de l'", "Bourg-en-Bresse", "01000", "ARA"),
    _D("02", "Aisne", "de l'", "Laon", "02000", "HDF"),
    _D("03", "Allier", "de l'", "Moulins", "03000", "ARA"),
    _D("04", "Alpes-de-Haute-Provence", "des ", "Digne-les-Bains", "04000", "PAC"),
    _D("05", "Hautes-Alpes", "des ", "Gap", "05000", "PAC"),
    _D("06", "Alpes-Maritimes", "des ", "Nice", "06000", "PAC"),
    _D("07", "Ardèche", "de l'", "Privas", "07000", "ARA"),
    _D("08", "Ardennes", "des ", "Charleville-Mézières", "08000", "GES"),
    _D("09", "Ariège", "de l'", "Foix", "09000", "OCC"),
    _D("10", "Aube", "de l'", "Troyes", "10000", "GES"),
    _D("11", "Aude", "de l'", "Carcassonne", "11000", "OCC"),
    _D("12", "Aveyron", "de l'", "Rodez", "12000", "OCC"),
    _D("13", "Bouches-du-Rhône", "des ", "Marseille", "13001", "PAC"),
    _D("14", "Calvados", "du ", "Caen", "14000", "NOR"),
    _D("15", "Cantal", "du ", "Aurillac", "15000", "ARA"),
    _D("16", "Charente", "de la ", "Angoulême", "16000", "NAQ"),
    _D("17", "Charente-Maritime", "de la ", "La Rochelle", "17000", "NAQ"),
    _D("18", "Cher", "du ", "Bourges", "18000", "CVL"),
    _D("19", "Corrèze", "de la ", "Tulle", "19000", "NAQ"),
    _D("2A", "Corse-du-Sud", "de la ", "Ajaccio", "20000", "COR"),
    _D("2B", "Haute-Corse", "de la ", "Bastia", "20200", "COR"),
    _D("21", "Côte-d'Or", "de la ", "Dijon", "21000", "BFC"),
    _D("22", "Côtes-d'Armor", "des ", "Saint-Brieuc", "22000", "BRE"),
    _D("23", "Creuse", "de la ", "Guéret", "23000", "NAQ"),
    _D("24", "Dordogne", "de la ", "Périgueux", "24000", "NAQ"),
    _D("25", "Doubs", "du ", "Besançon", "25000", "BFC"),
    _D("26", "Drôme", "de la ", "Valence", "26000", "ARA"),
    _D("27", "Eure", "de l'", "Évreux", "27000", "NOR"),
    _D("28", "Eure-et-Loir", "d'", "Chartres", "28000", "CVL"),
    _D("29", "Finistère", "du ", "Quimper", "29000", "BRE"),
    _D("30", "Gard", "du ", "Nîmes", "30000", "OCC"),
    _D("31", "Haute-Garonne", "de la ", "Toulouse", "31000", "OCC"),
    _D("32", "Gers", "du ", "Auch", "32000", "OCC"),
    _D("33", "Gironde", "de la ", "Bordeaux", "33000", "NAQ"),
    _D("34", "Hérault", "de l'", "Montpellier", "34000", "OCC"),
    _D("35", "Ille-et-Vilaine", "d'", "Rennes", "35000", "BRE"),
    _D("36", "Indre", "de l'", "Châteauroux", "36000", "CVL"),
    _D("37", "Indre-et-Loire", "d'", "Tours", "37000", "CVL"),
    _D("38", "Isère", "de l'", "Grenoble", "38000", "ARA"),
    _D("39", "Jura", "du ", "Lons-le-Saunier", "39000", "BFC"),
    _D("40", "Landes", "des ", "Mont-de-Marsan", "40000", "NAQ"),
    _D("41", "Loir-et-Cher", "du ", "Blois", "41000", "CVL"),
    _D("42", "Loire", "de la ", "Saint-Étienne", "42000", "ARA"),
    _D("43", "Haute-Loire", "de la ", "Le Puy-en-Velay", "43000", "ARA"),
    _D("44", "Loire-Atlantique", "de la ", "Nantes", "44000", "PDL"),
    _D("45", "Loiret", "du ", "Orléans", "45000", "CVL"),
    _D("46", "Lot", "du ", "Cahors", "46000", "OCC"),
    _D("47", "Lot-et-Garonne", "du ", "Agen", "47000", "NAQ"),
    _D("48", "Lozère", "de la ", "Mende", "48000", "OCC"),
    _D("49", "Maine-et-Loire", "de ", "Angers", "49000", "PDL"),
    _D("50", "Manche", "de la ", "Saint-Lô", "50000", "NOR"),
    _D("51", "Marne", "de la ", "Châlons-en-Champagne", "51000", "GES"),
    _D("52", "Haute-Marne", "de la ", "Chaumont", "52000", "GES"),
    _D("53", "Mayenne", "de la ", "Laval", "53000", "PDL"),
    _D("54", "Meurthe-et-Moselle", "de ", "Nancy", "54000", "GES"),
    _D("55", "Meuse", "de la ", "Bar-le-Duc", "55000", "GES"),
    _D("56", "Morbihan", "du ", "Vannes", "56000", "BRE"),
    _D("57", "Moselle", "de la ", "Metz", "57000", "GES"),
    _D("58", "Nièvre", "de la ", "Nevers", "58000", "BFC"),
    _D("59", "Nord", "du ", "Lille", "59000", "HDF"),
    _D("60", "Oise", "de l'", "Beauvais", "60000", "HDF"),
    _D("61", "Orne", "de l'", "Alençon", "61000", "NOR"),
    _D("62", "Pas-de-Calais", "du ", "Arras", "62000", "HDF"),
    _D("63", "Puy-de-Dôme", "du ", "Clermont-Ferrand", "63000", "ARA"),
    _D("64", "Pyrénées-Atlantiques", "des ", "Pau", "64000", "NAQ"),
    _D("65", "Hautes-Pyrénées", "des ", "Tarbes", "65000", "OCC"),
    _D("66", "Pyrénées-Orientales", "des ", "Perpignan", "66000", "OCC"),
    _D("67", "Bas-Rhin", "du ", "Strasbourg", "67000", "GES"),
    _D("68", "Haut-Rhin", "du ", "Colmar", "68000", "GES"),
    _D("69", "Rhône", "du ", "Lyon", "69001", "ARA"),
    _D("70", "Haute-Saône", "de la ", "Vesoul", "70000", "BFC"),
    _D("71", "Saône-et-Loire", "de ", "Mâcon", "71000", "BFC"),
    _D("72", "Sarthe", "de la ", "Le Mans", "72000", "PDL"),
    _D("73", "Savoie", "de la ", "Chambéry", "73000", "ARA"),
    _D("74", "Haute-Savoie", "de la ", "Annecy", "74000", "ARA"),
    _D("75", "Paris", "de ", "Paris", "75001", "IDF"),
    _D("76", "Seine-Maritime", "de la ", "Rouen", "76000", "NOR"),
    _D("77", "Seine-et-Marne", "de ", "Melun", "77000", "IDF"),
    _D("78", "Yvelines", "des ", "Versailles", "78000", "IDF"),
    _D("79", "Deux-Sèvres", "des ", "Niort", "79000", "NAQ"),
    _D("80", "Somme", "de la ", "Amiens", "80000", "HDF"),
    _D("81", "Tarn", "du ", "Albi", "81000", "OCC"),
    _D("82", "Tarn-et-Garonne", "de ", "Montauban", "82000", "OCC"),
    _D("83", "Var", "du ", "Toulon", "83000", "PAC"),
    _D("84", "Vaucluse", "de ", "Avignon", "84000", "PAC"),
    _D("85", "Vendée", "de la ", "La Roche-sur-Yon", "85000", "PDL"),
    _D("86", "Vienne", "de la ", "Poitiers", "86000", "NAQ"),
    _D("87", "Haute-Vienne", "de la ", "Limoges", "87000", "NAQ"),
    _D("88", "Vosges", "des ", "Épinal", "88000", "GES"),
    _D("89", "Yonne", "de l'", "Auxerre", "89000", "BFC"),
    _D("90", "Territoire de Belfort", "du ", "Belfort", "90000", "BFC"),
    _D("91", "Essonne", "de l'", "Évry-Courcouronnes", "91000", "IDF"),
    _D("92", "Hauts-de-Seine", "des ", "Nanterre", "92000", "IDF"),
    _D("93", "Seine-Saint-Denis", "de la ", "Bobigny", "93000", "IDF"),
    _D("94", "Val-de-Marne", "du ", "Créteil", "94000", "IDF"),
    _D("95", "Val-d'Oise", "du ", "Cergy", "95000", "IDF"),
    _D("971", "Guadeloupe", "de la ", "Basse-Terre", "97100", "GUA"),
    _D("972", "Martinique", "de la ", "Fort-de-France", "97200", "MTQ"),
    _D("973", "Guyane", "de la ", "Cayenne", "97300", "GUY"),
    _D("974", "La Réunion", "de ", "Saint-Denis", "97400", "REU"),
    _D("976", "Mayotte", "de ", "Mamoudzou", "97600", "MAY"),
)

# Regional capitals, for regional structures (URSSAF, Carsat, MSA, France Travail).
REGION_CAPITALS = {
    "ARA": ("Lyon", "69001"), "BFC": ("Dijon", "21000"), "BRE": ("Rennes", "35000"),
    "CVL": ("Orléans", "45000"), "COR": ("Ajaccio", "20000"), "GES": ("Strasbourg", "67000"),
    "HDF": ("Lille", "59000"), "IDF": ("Paris", "75001"), "NOR": ("Rouen", "76000"),
    "NAQ": ("Bordeaux", "33000"), "OCC": ("Toulouse", "31000"), "PDL": ("Nantes", "44000"),
    "PAC": ("Marseille", "13001"), "GUA": ("Basse-Terre", "97100"), "MTQ": ("Fort-de-France", "97200"),
    "GUY": ("Cayenne", "97300"), "REU": ("Saint-Denis", "97400"), "MAY": ("Mamoudzou", "97600"),
}

# Académies with a Crous (name, city, postal code).
CROUS_CITIES = (
    ("Aix-Marseille", "Marseille", "13001"), ("Amiens", "Amiens", "80000"), ("Besançon", "Besançon", "25000"),
    ("Bordeaux-Aquitaine", "Bordeaux", "33000"), ("Clermont Auvergne", "Clermont-Ferrand", "63000"),
    ("Bourgogne-Franche-Comté", "Dijon", "21000"), ("Grenoble Alpes", "Grenoble", "38000"),
    ("Lille Nord Pas-de-Calais", "Lille", "59000"), ("Limoges", "Limoges", "87000"), ("Lyon", "Lyon", "69001"),
    ("Montpellier-Occitanie", "Montpellier", "34000"), ("Lorraine", "Nancy", "54000"),
    ("Nantes Pays de la Loire", "Nantes", "44000"), ("Nice-Toulon", "Nice", "06000"),
    ("Orléans-Tours", "Orléans", "45000"), ("Paris", "Paris", "75001"), ("Poitiers", "Poitiers", "86000"),
    ("Reims", "Reims", "51100"), ("Rennes-Bretagne", "Rennes", "35000"), ("Normandie", "Caen", "14000"),
    ("Strasbourg", "Strasbourg", "67000"), ("Toulouse-Occitanie", "Toulouse", "31000"),
    ("Versailles", "Versailles", "78000"), ("Créteil", "Créteil", "94000"), ("Corse", "Corte", "20250"),
    ("La Réunion", "Saint-Denis", "97400"), ("Antilles-Guyane", "Pointe-à-Pitre", "97110"),
)

# Consulates: (code suffix, "Consulat général de France à <city>", country).
CONSULATES = (
    ("LONDRES", "Londres"), ("BRUXELLES", "Bruxelles"), ("GENEVE", "Genève"), ("MONTREAL", "Montréal"),
    ("QUEBEC", "Québec"), ("NEW-YORK", "New York"), ("SAN-FRANCISCO", "San Francisco"), ("MUNICH", "Munich"),
    ("FRANCFORT", "Francfort"), ("BARCELONE", "Barcelone"), ("MILAN", "Milan"), ("CASABLANCA", "Casablanca"),
    ("TUNIS", "Tunis"), ("ALGER", "Alger"), ("DAKAR", "Dakar"), ("SHANGHAI", "Shanghai"),
    ("HONG-KONG", "Hong Kong"), ("SYDNEY", "Sydney"), ("DUBAI", "Dubaï"), ("JERUSALEM", "Jérusalem"),
    ("SAO-PAULO", "São Paulo"), ("BUENOS-AIRES", "Buenos Aires"),
)
