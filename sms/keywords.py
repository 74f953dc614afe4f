"""Keywords: case-, accent- and punctuation-insensitive, each tied to an intent and a language.

A keyword counts when it is the whole message (`¡ALTO!`, `Derechos.`). Opt-out also counts as a
short phrase ("stop texting me", "ya no me manden") or a keyword leading a very short message
("stop please"), because consent may be revoked by any reasonable means (FCC 24-18).
"""

from dataclasses import dataclass

from organize.plumbing.text import fold

# intent → {folded keyword: language it implies (None: keep the current one)}
KEYWORDS: dict[str, dict[str, str | None]] = {
    "opt_out": {
        **dict.fromkeys(
            ["stop", "stopall", "unsubscribe", "cancel", "end", "quit", "revoke", "optout"], None
        ),
        "opt out": None,
        **dict.fromkeys(["alto", "parar", "baja", "cancelar", "detener"], "es"),
        **dict.fromkeys(["退订", "停止"], "zh"),
        "hinto": "tl",
        "rete": "ht",
    },
    "opt_in": {
        **dict.fromkeys(["start", "unstop"], None),  # carrier words: no language implied
        **dict.fromkeys(["join", "alerts", "alert"], "en"),
        **dict.fromkeys(["unirse", "unirme", "alta", "alertas"], "es"),
    },
    "yes": {**dict.fromkeys(["yes", "y", "ok", "okay"], None), **dict.fromkeys(["si", "sí"], "es")},
    "no": dict.fromkeys(["no", "n", "nope"], None),
    "help": {"help": None, "info": None, "ayuda": "es", "帮助": "zh", "tulong": "tl", "ed": "ht"},
    "menu": {"menu": None, "0": None, "inicio": "es", "菜单": "zh"},
    "rights": {"rights": "en", "derechos": "es", "权利": "zh", "karapatan": "tl", "dwa": "ht"},
    "review": {
        **dict.fromkeys(["review", "rate"], "en"),
        **dict.fromkeys(["resena", "opinion", "opinar"], "es"),
    },
    "near": {"near": "en", "cerca": "es", "help near me": "en", "ayuda cerca": "es"},
    "language": dict.fromkeys(["lang", "language", "languages", "idioma", "lengua", "语言"], None),
    "forget": {
        **dict.fromkeys(["delete", "forget", "forget me", "delete me"], "en"),
        **dict.fromkeys(["borrar", "eliminar", "borrarme"], "es"),
    },
    "notice": {
        **dict.fromkeys(["action", "strike", "report"], "en"),
        **dict.fromkeys(["huelga", "accion", "paro", "reportar"], "es"),
    },
    "actions": {"actions": "en", "strikes": "en", "acciones": "es", "huelgas": "es"},
    "more": dict.fromkeys(["more", "mas", "next", "siguiente"], None),
    "skip": dict.fromkeys(["skip", "saltar", "pasar", "omitir"], None),
    "done": dict.fromkeys(["done", "listo", "fin", "ya", "termine"], None),
    "edit": dict.fromkeys(["edit", "change", "editar", "cambiar", "corregir"], None),
    "new": dict.fromkeys(["new", "add", "nuevo", "nueva", "agregar"], None),
}

OPT_OUT_PHRASES = {
    "stop texting me",
    "stop texting",
    "stop messaging me",
    "stop sending me messages",
    "no more messages",
    "no more texts",
    "remove me",
    "remove me from the list",
    "take me off the list",
    "unsubscribe me",
    "dont text me",
    "do not text me",
    "leave me alone",
    "ya no me manden mensajes",
    "ya no me manden",
    "no mas mensajes",
    "no me manden mas mensajes",
    "no me escriban",
    "no me escriban mas",
    "sacame de la lista",
    "quitenme de la lista",
    "darme de baja",
    "dame de baja",
}
SHORT_OPT_OUT_WORDS = 4


@dataclass(frozen=True)
class Match:
    """What a message means out of context: an intent (or None), a language hint, a number."""

    intent: str | None
    locale: str | None
    number: int | None
    folded: str


def _index() -> dict[str, tuple[str, str | None]]:
    table: dict[str, tuple[str, str | None]] = {}
    for intent, words in KEYWORDS.items():
        for word, locale in words.items():
            table.setdefault(fold(word) or word, (intent, locale))
    return table


_INDEX = _index()


def match(body: str) -> Match:
    """Classify a whole message."""
    folded = fold(body)
    number = int(folded) if folded.isdigit() and len(folded) <= 3 else None
    if folded in OPT_OUT_PHRASES:
        return Match("opt_out", None, None, folded)
    found = _INDEX.get(folded) or _INDEX.get(body.strip())
    if found is not None:
        intent, locale = found
        return Match(intent, locale, number, folded)
    words = folded.split()
    if words and len(words) <= SHORT_OPT_OUT_WORDS:
        first = _INDEX.get(words[0])
        if first is not None and first[0] == "opt_out":
            return Match("opt_out", first[1], None, folded)
    return Match(None, None, number, folded)
