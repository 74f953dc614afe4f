"""Words around a name that make it one (cues) or unmake it (places and businesses).

All entries are folded (lower-case, no accents), matching ``names.fold``.
"""

from __future__ import annotations

#: Titles that belong to the name and are redacted with it ("Mr. Gonzalez", "Doña Carmen").
#: Abbreviations are unambiguous; the spelled-out ones are also ordinary words ("I miss",
#: "el señor que vende"), so they need a capitalized or known name after them.
HONORIFIC_ABBREVIATIONS = frozenset(
    {"mr", "mrs", "ms", "mx", "sr", "sra", "srta", "dr", "dra", "lic", "ing"}
)
HONORIFIC_WORDS = frozenset(
    {"mister", "miss", "senor", "senora", "senorita", "don", "dona", "missus", "sir", "madam"}
)

#: Roles whose holder is usually named next: "my boss juan", "la encargada Carmen".
ROLE_CUES = frozenset(
    {
        "boss", "bosses", "supervisor", "supervisora", "manager", "foreman", "forewoman",
        "forelady", "owner", "jefe", "jefa", "encargado", "encargada", "patron", "patrona",
        "mayordomo", "mayordoma", "capataz", "gerente", "dueno", "duena", "coordinator",
        "coordinador", "coordinadora", "recruiter", "reclutador", "reclutadora", "contractor",
        "contratista", "lead", "leader", "lider", "coworker", "co-worker", "companero",
        "companera", "named", "llamado", "llamada", "llama", "nombre", "name", "landlord",
        "casero", "casera", "mgr", "sup", "husband", "wife", "esposo", "esposa", "hijo", "hija",
        "familia",
    }
)  # fmt: skip
#: "ask for Carmen", "pregunten por Jose": the second word is a cue only after the first.
ASK_VERBS = frozenset(
    {"ask", "asked", "asking", "pregunten", "pregunta", "preguntar", "pregunte", "preguntes",
     "contact", "contacta", "contacten", "call", "llamen", "llama", "busquen", "buscar"}
)  # fmt: skip
ASK_LINKS = frozenset({"for", "por", "a"})
#: "Maria y Rosa", "Luis, Mark and Ana": after a name, these join another one.
CONJUNCTIONS = frozenset({"y", "e", "and", "&", "o", "or"})
#: Words that may stand between a cue and the name: "my boss is Mark", "se llama: Ana".
FILLERS = frozenset({"is", "was", "es", "era", "el", "la", "named", "called", "se", "its"})

#: "at Wendy's", "en McDonald's": a possessive name after these is a business.
AT_BUSINESS = frozenset({"at", "en", "for", "para", "from", "de", "in", "to"})

#: Particles inside compound surnames: "María de la Cruz", "Juan del Valle".
PARTICLES = frozenset({"de", "del", "la", "las", "los"})

#: A capitalized word right before a name that makes it a place: "San José", "Los Angeles".
PLACE_PREFIXES = frozenset(
    {"san", "santa", "santo", "st", "saint", "los", "las", "fort", "port", "mount", "mt",
     "lake", "puerto", "ciudad", "villa", "new", "north", "south", "east", "west", "el",
     "colonia", "col", "calle", "avenida", "av", "ave", "blvd", "hotel", "hospital", "rancho",
     "hacienda", "taqueria", "restaurante", "restaurant", "tienda", "panaderia", "mariscos",
     "tacos", "casa", "club", "banco", "escuela", "colegio", "iglesia", "universidad",
     "university", "plaza", "parque", "park", "condado", "county"}
)  # fmt: skip
#: A word right after a name that makes it a place or a business: "Jackson Heights",
#: "Garcia Construction", "Lopez Landscaping".
BUSINESS_SUFFIXES = frozenset(
    {"heights", "park", "county", "city", "street", "st", "avenue", "ave", "road", "rd",
     "blvd", "boulevard", "drive", "dr", "lane", "ln", "way", "court", "ct", "place",
     "construction", "cleaning", "cleaners", "landscaping", "roofing", "painting", "plumbing",
     "electric", "farms", "farm", "foods", "food", "market", "restaurant", "bakery", "inc",
     "llc", "corp", "co", "company", "services", "service", "staffing", "hotel", "inn", "cafe",
     "grill", "kitchen", "tacos", "ranch", "rancho", "builders", "contractors", "laundry",
     "salon", "spa", "nails", "auto", "motors", "group", "enterprises", "industries",
     "logistics", "warehouse", "packing", "dairy", "nursery", "express", "store", "shop",
     "supermarket", "mercado", "depot", "center", "centre", "plaza", "mall", "university",
     "college", "school", "hospital", "clinic", "church", "bank", "airport", "station",
     "beach", "valley", "hills", "springs", "bay", "river", "island", "village", "brothers",
     "bros", "sons", "hermanos", "pizza", "burger", "burgers", "wash", "carwash",
     "hall", "tower", "towers", "apartments", "homes", "realty", "trucking", "transport",
     "moving", "catering", "deli", "bar", "lounge", "club", "gym", "fitness", "studio",
     "township", "parish", "estates", "gardens", "garden", "poultry", "produce"}
)  # fmt: skip
