"""The import picture of decision_aid/ (issue 29): no import cycle between modules, and no module
of a lower layer importing one of a higher layer. Every import counts, also one inside a
function. `from package import module` is an import of that module (as import-linter counts it);
`from package import name` one of the package's __init__."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "decision_aid"

# Low to high: a module may import its own layer and the layers below. The most specific name
# wins (decision_aid.review.packet renders a PDF; the rest of review is content).
LAYERS = [
    # 0. what everything may use: languages' words, dates, the clock, settings, files
    {"text.i18n", "clinic.clock", "text.dates", "text.icons", "text.clean", "config",
     "fhir.search"},
    # 1. the questionnaire as data, and its form fields
    {"questions", "schema", "fields"},
    # 2. pure content and logic: guidance, its review, what a summary shows, FHIR mapping, the
    # catalogs' extractor (pybabel reads the content through it)
    {"guidance", "review", "summary", "clinic", "fhir", "text"},
    # 3. services: storage, rate limits, tokens, the PDFs
    {"store", "fhir.tokens", "web.limits", "pdf", "review.packet", "web.saving"},
    # 4. what the web layer shares
    {"web"},
    # 5. the blueprints and the app's error pages
    {"wizard", "web.clinic_send", "staff", "fhir.api", "web.errors"},
    # 6. the app factory and the commands
    {"", "cli", "migrations"},
]  # fmt: skip


def module_name(path):
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {module_name(path): path for path in PACKAGE.rglob("*.py")}


def owner(name):
    """The module a dotted name lives in (a function or class: its module)."""
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name


def imports(name, path):
    is_package = path.name == "__init__.py"
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {owner(a.name) for a in node.names if a.name.startswith("decision_aid")}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                package = name if is_package else name.rpartition(".")[0]
                for _ in range(node.level - 1):
                    package = package.rpartition(".")[0]
                base = f"{package}.{base}".rstrip(".")
            if base.split(".")[0] == "decision_aid":
                found |= {owner(f"{base}.{alias.name}") for alias in node.names}
    return found - {name, ""}


GRAPH = {name: imports(name, path) for name, path in MODULES.items()}


def cycles(graph):
    """The strongly connected components of more than one module (Tarjan)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in graph.get(node, ()):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def layer(name):
    """The layer of a module: its most specific entry in LAYERS."""
    parts = name.split(".")[1:]
    for size in range(len(parts), -1, -1):
        key = ".".join(parts[:size])
        for number, members in enumerate(LAYERS):
            if key in members:
                return number
    raise AssertionError(f"{name} is in no layer: add it to LAYERS")


def test_the_walk_finds_a_cycle_and_an_import_inside_a_function():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert "decision_aid.cli.fhir" in GRAPH["decision_aid.cli.main"]  # imported in build_parser


def test_no_import_cycle():
    assert cycles(GRAPH) == []


def test_every_module_has_a_layer():
    for name in MODULES:
        layer(name)


def test_no_lower_layer_imports_a_higher_one():
    upward = sorted(
        f"{name} ({layer(name)}) imports {other} ({layer(other)})"
        for name, others in GRAPH.items()
        for other in others
        if layer(other) > layer(name)
    )
    assert upward == []
