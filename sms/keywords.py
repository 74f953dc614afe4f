"""Keywords: case-, accent- and punctuation-insensitive, each tied to an intent and a language.

A keyword counts when it is the whole message (`¡ALTO!`, `Derechos.`). Opt-out also counts as a
short phrase ("stop texting me", "ya no me manden") or a keyword leading a very short message
("stop please"), because consent may be revoked by any reasonable means (FCC 24-18).
"""

from dataclasses import dataclass

from organize.plumbing.text import fold

# The one table: intent → language → the words people text for it, as they actually write them
# (accents and case do not matter: `fold` drops them). "*" holds words used in every language:
# carrier words, digits and the English loanwords people type whatever they speak (OK, MENU,
# ALERTS …). A word switches a person's language only when it belongs to one language alone
# (`DERECHOS` → Spanish, `KARAPATAN` → Tagalog); `ALERTS` or `MAS` (Spanish and Tagalog) never do.
ANY = "*"
WORDS: dict[str, dict[str, list[str]]] = {
    "opt_out": {
        ANY: ["stop", "stopall", "unsubscribe", "cancel", "end", "quit", "revoke", "optout"],
        "en": ["opt out"],
        "es": ["alto", "parar", "baja", "cancelar", "detener"],
        "zh": ["退订", "停止", "取消订阅", "退訂", "停"],
        "tl": ["hinto", "ihinto", "itigil", "tigil"],
        "ht": ["rete", "sispann", "kanpe"],
    },
    "opt_in": {
        ANY: ["start", "unstop", "alerts", "alert"],
        "en": ["join"],
        "es": ["unirse", "unirme", "alta", "alertas"],
        "zh": ["订阅", "訂閱", "提醒", "加入"],
        "tl": ["sali", "sumali", "alerto", "mga alerto"],
        "ht": ["alèt", "enskri", "enskri m", "abòne"],
    },
    "yes": {
        ANY: ["yes", "y", "ok", "okay"],
        "es": ["sí", "si", "claro"],
        "zh": ["是", "好", "对", "對", "是的", "好的", "对的", "可以", "行"],
        "tl": ["oo", "opo", "oho", "oo po", "sige", "sige po"],
        "ht": ["wi", "wi wi", "dakò", "wi mèsi"],
    },
    "no": {
        ANY: ["no", "n", "nope"],
        "zh": ["不", "不是", "否", "不要", "没有", "沒有", "不用"],
        "tl": ["hindi", "hindi po", "ayaw", "ayoko", "huwag"],
        "ht": ["non", "non mèsi", "pa vle"],
    },
    "help": {
        ANY: ["help", "info"],
        "es": ["ayuda"],
        "zh": ["帮助", "幫助", "帮忙", "求助"],
        "tl": ["tulong", "saklolo"],
        "ht": ["èd", "ede", "ede m", "ede mwen"],
    },
    "menu": {
        ANY: ["menu", "menú", "0"],
        "es": ["inicio"],
        "zh": ["菜单", "菜單", "目录", "主菜单"],
        "tl": ["pagpipilian"],
        "ht": ["meni"],
    },
    "rights": {
        "en": ["rights"],
        "es": ["derechos"],
        "zh": ["权利", "權利", "权益"],
        "tl": ["karapatan", "mga karapatan"],
        "ht": ["dwa", "dwa m", "dwa mwen"],
    },
    "review": {
        "en": ["review", "rate"],
        "es": ["reseña", "opinión", "opinar"],
        "zh": ["评价", "評價", "点评"],
        "tl": ["suri", "pagsusuri", "rebyu"],
        "ht": ["evalyasyon", "evalye", "avi"],
    },
    "near": {
        "en": ["near", "help near me"],
        "es": ["cerca", "ayuda cerca"],
        "zh": ["附近", "附近帮助"],
        "tl": ["malapit", "tulong malapit"],
        "ht": ["toupre", "pre", "ed toupre"],
    },
    "language": {
        ANY: ["lang", "language", "languages"],
        "es": ["idioma", "lengua"],
        "zh": ["语言", "語言"],
        "tl": ["wika"],
        "ht": ["lang mwen"],
    },
    "forget": {
        "en": ["delete", "forget", "forget me", "delete me"],
        "es": ["borrar", "eliminar", "borrarme"],
        "zh": ["删除", "刪除", "删除我", "忘记我"],
        "tl": ["burahin", "burahin ako", "kalimutan ako"],
        "ht": ["efase", "efase m", "bliye m"],
    },
    "notice": {
        "en": ["action", "strike", "report"],
        "es": ["huelga", "acción", "paro", "reportar"],
        "zh": ["罢工", "罷工", "举报", "报告"],
        "tl": ["welga", "iulat", "ulat"],
        "ht": ["grèv", "rapò", "rapòte"],
    },
    "actions": {
        "en": ["actions", "strikes"],
        "es": ["acciones", "huelgas"],
        "zh": ["行动", "行動", "最新行动"],
        "tl": ["mga welga", "mga aksyon"],
        "ht": ["grèv yo", "aksyon yo"],
    },
    "more": {
        ANY: ["more", "next"],
        "es": ["más", "siguiente"],
        "zh": ["更多", "下一页", "下一頁", "下页"],
        "tl": ["mas", "susunod", "higit pa", "marami pa"],
        "ht": ["plis", "pi plis", "swivan", "lòt"],
    },
    "skip": {
        ANY: ["skip"],
        "es": ["saltar", "pasar", "omitir"],
        "zh": ["跳过", "跳過", "略过"],
        "tl": ["laktaw", "laktawan", "lampas"],
        "ht": ["sote", "pase"],
    },
    "done": {
        ANY: ["done"],
        "es": ["listo", "fin", "ya", "terminé"],
        "zh": ["完成", "好了", "完了", "结束"],
        "tl": ["tapos", "tapos na", "yari na"],
        "ht": ["fini", "fin", "mwen fini"],
    },
    "edit": {
        ANY: ["edit", "change"],
        "es": ["editar", "cambiar", "corregir"],
        "zh": ["修改", "编辑", "更改"],
        "tl": ["baguhin", "ayusin", "palitan"],
        "ht": ["korije", "chanje", "modifye"],
    },
    # Followed by a review's status code (and, to appeal, a reason): see `leading`.
    "status": {
        ANY: ["status"],
        "es": ["estado"],
        "zh": ["状态", "狀態"],
        "tl": ["katayuan"],
        "ht": ["estati"],
    },
    "appeal": {
        ANY: ["appeal"],
        "es": ["apelar", "apelación"],
        "zh": ["申诉", "申訴"],
        "tl": ["apela", "iapela"],
        "ht": ["apèl", "fè apèl"],
    },
    "new": {
        ANY: ["new", "add"],
        "es": ["nuevo", "nueva", "agregar"],
        "zh": ["新", "新的", "添加", "新增"],
        "tl": ["bago", "idagdag", "dagdag"],
        "ht": ["nouvo", "ajoute"],
    },
}


def _owners() -> dict[tuple[str, str], set[str]]:
    """(intent, folded word) → the languages that use it ("*" for every one)."""
    owners: dict[tuple[str, str], set[str]] = {}
    for intent, by_language in WORDS.items():
        for language, words in by_language.items():
            for word in words:
                owners.setdefault((intent, fold(word) or word), set()).add(language)
    return owners


def _keywords() -> dict[str, dict[str, str | None]]:
    """intent → {word: the language it implies, or None when it is not one language's alone}."""
    owners = _owners()
    table: dict[str, dict[str, str | None]] = {}
    for (intent, word), languages in owners.items():
        only = next(iter(languages)) if len(languages) == 1 else None
        table.setdefault(intent, {})[word] = None if only == ANY else only
    return table


KEYWORDS = _keywords()


def words_for(intent: str, locale: str) -> list[str]:
    """The words a person may text for `intent` in `locale` (its own first, then shared ones)."""
    by_language = WORDS.get(intent, {})
    return [*by_language.get(locale, []), *by_language.get(ANY, [])]


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
    "不要再发了",
    "别再发了",
    "不要再发短信",
    "不要再給我發短信",
    "wag na mag text",
    "huwag na kayong mag text",
    "ayoko na ng text",
    "pa voye mesaj anko",
    "sispann voye mesaj",
    "mwen pa vle mesaj anko",
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


# Keywords that lead a message and are followed by a status code.
LEADING = ("status", "appeal")
CODE_DIGITS = 10


def leading(body: str) -> Match | None:
    """STATUS <code> or APPEAL <code> <reason>: the keyword, then ten digits (spaces and dashes
    allowed). Anything else is not one, so a story that starts with "status" stays a story."""
    words = body.split()
    for size in (2, 1):
        found = _INDEX.get(fold(" ".join(words[:size])))
        if found is None or found[0] not in LEADING:
            continue
        rest = "".join(words[size:])
        digits = "".join(ch for ch in rest[: CODE_DIGITS * 2] if ch.isdigit())[:CODE_DIGITS]
        bare = rest.replace("-", "").replace(".", "")
        if len(digits) == CODE_DIGITS and (found[0] == "appeal" or bare.isdigit()):
            return Match(found[0], found[1], None, fold(body))
    return None
