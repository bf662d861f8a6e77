"""Word lists for the fake server's generated data (Flemish names, places, schools)."""

from __future__ import annotations

# fmt: off

BOYS = (
    "Lucas", "Liam", "Noah", "Louis", "Arthur", "Jules", "Mathis", "Finn", "Lars", "Vic",
    "Wout", "Seppe", "Stan", "Warre", "Jasper", "Robbe", "Thibo", "Milan", "Senne", "Ferre",
    "Mats", "Lowie", "Bent", "Kobe", "Tuur", "Nand", "Daan", "Jens", "Rune", "Lander",
    "Brent", "Cas", "Thomas", "Pieter", "Wannes", "Emiel", "Achiel", "Staf", "Rik", "Gust",
    "Mohamed", "Adam", "Youssef", "Amir", "Ilias", "Mateo", "Luca", "Elias", "Matteo", "Jef",
)

GIRLS = (
    "Olivia", "Emma", "Marie", "Louise", "Ella", "Mila", "Noor", "Lina", "Julia", "Nora",
    "Fien", "Lotte", "Lore", "Hanne", "Febe", "Jana", "Lien", "Amber", "Elise", "Anna",
    "Liv", "Roos", "Nina", "Axelle", "Kato", "Zoë", "Marthe", "Emilie", "Ine", "Sien",
    "Jolien", "Eline", "Tine", "Charlotte", "Merel", "Britt", "Yana", "Mira", "Lise", "Wiebe",
    "Sara", "Aya", "Yasmina", "Inaya", "Chloë", "Leonie", "Saar", "Ellen", "Hélène", "Renée",
)

LAST_NAMES = (
    "Peeters", "Janssens", "Maes", "Jacobs", "Mertens", "Willems", "Claes", "Goossens",
    "Wouters", "De Smet", "Dubois", "Hermans", "Aerts", "Pauwels", "Michiels", "Van Damme",
    "De Clercq", "Lambrechts", "Verhoeven", "Desmet", "Vermeulen", "Van de Velde", "Smets",
    "Declercq", "De Vos", "Martens", "Van den Broeck", "Segers", "Verstraete", "Claeys",
    "Bogaert", "Vandenberghe", "Vermeiren", "Coppens", "Cools", "Van Hecke", "D'Hondt",
    "Stevens", "De Wilde", "Van Acker", "Verbeke", "Hendrickx", "Lemmens", "Vanhoutte",
    "Devos", "Van Laere", "De Backer", "Geerts", "Somers", "Van Dyck", "Thys", "Verlinden",
    "Wuyts", "Baert", "De Coninck", "Van Bael", "El Amrani", "Yilmaz", "Kowalski", "Nguyen",
)

#: (postcode, gemeente) pairs of Flemish municipalities.
PLACES = (
    ("8600", "DIKSMUIDE"), ("8930", "MENEN"), ("8500", "KORTRIJK"), ("9000", "GENT"),
    ("2000", "ANTWERPEN"), ("3000", "LEUVEN"), ("8000", "BRUGGE"), ("3500", "HASSELT"),
    ("2800", "MECHELEN"), ("9300", "AALST"), ("8800", "ROESELARE"), ("9100", "SINT-NIKLAAS"),
    ("2300", "TURNHOUT"), ("3800", "SINT-TRUIDEN"), ("8400", "OOSTENDE"), ("9200", "DENDERMONDE"),
    ("2500", "LIER"), ("3200", "AARSCHOT"), ("8900", "IEPER"), ("9700", "OUDENAARDE"),
    ("2440", "GEEL"), ("3600", "GENK"), ("8700", "TIELT"), ("9900", "EEKLO"),
    ("1800", "VILVOORDE"), ("1500", "HALLE"), ("3300", "TIENEN"), ("8620", "NIEUWPOORT"),
)

STREETS = (
    "Stationsstraat", "Kerkstraat", "Dorpsstraat", "Molenstraat", "Nieuwstraat", "Schoolstraat",
    "Kapelstraat", "Veldstraat", "Grote Markt", "Beekstraat", "Kasteelstraat", "Hoogstraat",
    "Lindenlaan", "Meersstraat", "Veurnsestraat", "Nijverheidslaan", "Bosstraat", "Heirweg",
    "Kouter", "Leopoldlaan", "Koning Albertstraat", "Steenweg", "Vijverstraat", "Zandstraat",
    "Ooststraat", "Weststraat", "Broekstraat", "Sint-Jansstraat", "Eikenlaan", "Bergstraat",
)

PROFESSIONS = (
    "Bediende", "Arbeider", "Zelfstandige", "Leerkracht", "Verpleegkundige", "Ingenieur",
    "Huisvrouw", "Huisman", "Ambtenaar", "Boekhouder", "Kinesitherapeut", "Vertegenwoordiger",
    "Landbouwer", "Kapper", "Chauffeur", "Arts", "",
)

CIVIL_STATES = (
    "Gehuwd", "Samenwonend", "Gescheiden", "Ongehuwd", "Weduwe", "Wettelijk samenwonend",
)

SCHOOL_PREFIXES = (
    "GO! Atheneum", "Sint-Jozefscollege", "Sint-Lodewijkscollege", "Heilig-Hartinstituut",
    "GO! Technisch Atheneum", "Vrije Basisschool De Regenboog", "Gemeentelijke Basisschool",
    "Sint-Vincentiusschool", "Sint-Ursulainstituut", "VTI", "Sint-Jan Berchmanscollege",
    "GO! Basisschool De Vlieger", "Vrije Basisschool 't Klavertje", "Maria-Middelares",
)

# fmt: on

#: (afdCode, afdelingsjaar pattern with {n}, nrAdmgrp base) for secondary schools.
SECONDARY_PROGRAMMES = (
    ("Latijn", "{n}° jaar Latijn", "0400"),
    ("Grieks", "{n}° jaar Grieks", "0400"),
    ("ModW", "{n}° jaar Moderne talen en wetenschappen", "0401"),
    ("EcoW", "{n}° jaar Economische wetenschappen", "0402"),
    ("STEM", "{n}° jaar STEM-wetenschappen", "0403"),
    ("Elek", "{n}° jaar Elektromechanische technieken", "0385"),
    ("Bouw", "{n}° jaar Bouwtechnieken", "0386"),
    ("Zorg", "{n}° jaar Verzorging", "0387"),
    ("Hout", "{n}° jaar Houttechnieken", "0388"),
)

PRIMARY_PROGRAMMES = (("Lager", "{n}° leerjaar", "0301"),)

LANGUAGE_CHOICES = ("Frans - Engels", "Frans", "Engels", "Frans - Duits", "")

CERTIFICATES = (
    ("Getuigschrift basisonderwijs", None),
    ("Getuigschrift 1e graad", None),
    ("Oriënteringsattest A", None),
    ("Oriënteringsattest B", "finaliteiten: Doorstroom, Dubbel"),
    ("Oriënteringsattest B", "studierichtingen: Latijn, Grieks"),
    ("Oriënteringsattest C", None),
    ("Attest verworven bekwaamheden OV3", None),
    ("ARL Duaal", None),
    ("Bewijs van beroepskwalificatie: Medewerker groen- en tuinbeheer", None),
    ("Studiegetuigschrift 2e graad", None),
    ("Diploma secundair onderwijs", None),
)

ADMGRP_NAMES = (
    "1e leerjaar A",
    "1e leerjaar B",
    "2e leerjaar A Klassieke talen (Grieks en Latijn)",
    "2e leerjaar A Moderne talen en wetenschappen",
    "2e jaar kwalificatiefase Medewerker groen- en tuinbeheer duaal",
    "3e leerjaar Economische wetenschappen",
    "4e leerjaar Elektromechanische technieken",
    "Lager onderwijs",
    "Kleuteronderwijs",
)

BIC_BY_BANK = (
    ("001", "GEBABEBB"),
    ("063", "GKCCBEBB"),
    ("068", "GKCCBEBB"),
    ("091", "DEUTBEBE"),
    ("103", "NICABEBB"),
    ("363", "BBRUBEBB"),
    ("377", "BBRUBEBB"),
    ("645", "JVBABE22"),
    ("734", "KREDBEBB"),
    ("737", "KREDBEBB"),
    ("751", "AXABBE22"),
    ("973", "ARSPBE22"),
    ("979", "ARSPBE22"),
    ("143", "GEBABEBB"),
)
