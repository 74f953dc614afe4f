"""Reading pages the way a browser would, without a browser."""

from html.parser import HTMLParser


class _Inputs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.values: dict[str, list[str]] = {}
        self.text: list[str] = []
        self.links: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if tag == "input" and attributes.get("name"):
            self.values.setdefault(str(attributes["name"]), []).append(
                attributes.get("value") or ""
            )
        for key in ("href", "src", "action"):
            if attributes.get(key):
                self.links.append(str(attributes[key]))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(html: str) -> _Inputs:
    parser = _Inputs()
    parser.feed(html)
    return parser


def input_value(html: str, name: str) -> str:
    return parse(html).values[name][0]


def visible_text(html: str) -> str:
    return " ".join(" ".join(parse(html).text).split())
