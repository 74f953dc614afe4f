"""The house rules of issue 15: no import circles, rooms of a readable size, instances-only
extensions. A small AST walk over the source, so nothing is imported to check it.

Every import counts, also one inside a function: a function-local import that dodges a circle at
load time still ties the two modules together for a reader and a test.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("organize", "sms", "ivr")


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for pkg in PACKAGES for p in (ROOT / pkg).rglob("*.py")}


def _imports(name: str, path: Path, known: dict[str, Path]) -> set[str]:
    """The project modules `name` imports anywhere in its body (resolving `from a import b` to
    module a.b where b is a module, relative imports against the module's package)."""
    package = name if path.stem == "__init__" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                target = alias.name
                while target and target not in known:
                    target = target.rpartition(".")[0]
                if target:
                    found.add(target)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                if f"{base}.{alias.name}" in known:
                    found.add(f"{base}.{alias.name}")
                elif base in known:
                    found.add(base)
    found.discard(name)
    return found


def import_graph() -> dict[str, set[str]]:
    """Module → the project modules it imports."""
    known = _modules()
    return {name: _imports(name, path, known) for name, path in known.items()}


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_the_circle_finder_finds_a_circle_and_a_function_local_one(tmp_path):
    """The finder itself: a two-module circle, a longer one, and no false circle on a chain;
    an import inside a function is an edge like any other."""
    graph = {"a": {"b"}, "b": {"a"}, "c": {"d"}, "d": {"e"}, "e": {"c"}, "f": {"g"}, "g": set()}
    assert circles(graph) == [["a", "b"], ["c", "d", "e"]]
    module = tmp_path / "sending.py"
    module.write_text("def later():\n    from organize.alerts import fanout\n")
    known = {"organize.alerts.fanout": Path(), "organize.alerts.sending": module}
    assert _imports("organize.alerts.sending", module, known) == {"organize.alerts.fanout"}


def test_no_import_circles_in_organize_sms_and_ivr():
    """No module of the project reaches itself through imports (function-local ones included)."""
    assert circles(import_graph()) == []


def test_sms_and_ivr_never_import_each_other_and_organize_imports_neither():
    """Channels are thin and apart (DESIGN §1); only the factory registers them."""
    for name, targets in import_graph().items():
        top = name.split(".")[0]
        for target in targets:
            other = target.split(".")[0]
            if top in {"sms", "ivr"} and other in {"sms", "ivr"}:
                assert other == top, f"{name} imports {target}"
            if top == "organize" and other in {"sms", "ivr"}:
                assert name == "organize", f"{name} imports {target}"


def test_extensions_hold_instances_only():
    """extensions.py imports no worker, job or domain module: instances, wired by create_app."""
    targets = import_graph()["organize.extensions"]
    assert targets <= {"organize.models.base", "organize.plumbing.ratelimit"}, targets


def test_organize_has_at_most_sixteen_modules_at_its_top():
    """Rooms grouped by what a reader looks for, not 34 modules side by side."""
    flat = sorted(p.name for p in (ROOT / "organize").glob("*.py"))
    assert len(flat) <= 16, flat


@pytest.mark.parametrize(
    ("folders", "limit"), [(PACKAGES, 400), (("tests",), 600)], ids=["app", "tests"]
)
def test_no_module_is_past_its_size(folders, limit):
    """App modules split before 400 lines, test modules before 600."""
    long = {
        str(p.relative_to(ROOT)): n
        for folder in folders
        for p in (ROOT / folder).rglob("*.py")
        if (n := len(p.read_text().splitlines())) > limit
    }
    assert long == {}
