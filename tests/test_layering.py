"""The layering of the package, enforced over its import graph (every import statement, at module level or
inside a function; read from the source, nothing imported): which package may import which, streamlit only
where the app lives, and no import circle. docs/architecture.md draws the same rules."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# What each part of seqviz may import from seqviz, besides itself and the foundation. A higher layer may
# skip layers (ui may use models directly); a lower one never reaches up.
FOUNDATION = {"device", "i18n", "messages", "shared"}  # small modules every layer may use
MAY_IMPORT = {
    "data": set(),
    "models": {"data"},
    "decoding": {"models", "data"},
    "viz": set(),  # pure figure builders: arrays and labels in, figures out
    "explain": {"decoding", "models", "data"},  # explanations scored against the toy language's truth
    "training": {"explain", "decoding", "models", "data"},
    "explorer": set(),  # the Hugging Face adapter: transformers, torch, numpy
    "export": {"viz", "training", "explain", "decoding", "models", "data"},
    "bench": {"training", "explain", "decoding", "viz", "models", "data", "load"},  # load: the pages' interactions
    "lessons": {"export", "training", "explain", "decoding", "viz", "models", "data"},  # steps built on the deck
    "ui": {"lessons", "export", "explorer", "training", "explain", "decoding", "viz", "models", "data"},
    "train": {"training"},  # `python -m seqviz.train`
    "device": set(),
    "shared": set(),  # the shared-server mode, read from the environment
    "messages": {"i18n"},
    "i18n": set(),  # the translation catalogues (seqviz/locales), read by ui, export and messages
    "load": {"deploy", "viz"},  # sessions that speak Streamlit's protocol to a server; the report's chart
    "deploy": set(),  # app servers and nginx in front of replicas: processes, no seqviz code
    # a part's command line (seqviz/<part>/__main__.py) stands above every library layer, beside ui: it may
    # use any of them (`python -m seqviz.export --html` writes the lessons, which are built on export's deck)
    "commands": {"lessons", "export", "bench", "load", "deploy", "explorer", "training", "explain", "decoding"}
    | {"viz", "models", "data", "train"},
}
STREAMLIT_MAY = {"ui"}  # and the pages and app.py; the benchmark drives pages through streamlit.testing only
# Known exceptions, each with the issue that removes it. The test fails when one is no longer needed.
KNOWN: dict[tuple[str, str], str] = {}


def module_name(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")


def imports(path: Path) -> set[str]:
    """The absolute names of everything the file imports (a `from x import y` counts as x and x.y)."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1] + ([node.module] if node.module else []))
            else:
                base = node.module
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def graph() -> dict[str, set[str]]:
    """seqviz module -> the seqviz modules it imports (a name that is an attribute, not a module, is dropped)."""
    files = {module_name(p): p for p in (ROOT / "seqviz").rglob("*.py")}
    return {name: {m for m in imports(path) if m in files and m != name} for name, path in files.items()}


def part(module: str) -> str:
    """seqviz.ui.page -> ui; seqviz.device -> device; seqviz -> seqviz; seqviz.export.__main__ -> commands"""
    if module.endswith(".__main__"):
        return "commands"
    return module.split(".")[1] if "." in module else module


def forbidden_imports() -> set[tuple[str, str, str]]:
    found = set()
    for module, targets in graph().items():
        source = part(module)
        for target in targets:
            to = part(target)
            if to == source or to in FOUNDATION or to == "seqviz" or source == "seqviz":
                continue
            if to not in MAY_IMPORT.get(source, set()):
                found.add((source, to, f"{module} imports {target}"))
    return found


def test_every_part_of_the_package_has_a_rule():
    parts = {part(m) for m in graph()} - {"seqviz", "checkpoints", "locales"}
    assert parts <= set(MAY_IMPORT), f"new part(s) without a layering rule: {sorted(parts - set(MAY_IMPORT))}"


def test_no_layer_imports_a_higher_one():
    found = forbidden_imports()
    unexpected = sorted(why for source, to, why in found if (source, to) not in KNOWN)
    assert not unexpected, "imports against the layering:\n" + "\n".join(unexpected)
    stale = sorted(f"{pair}: {why}" for pair, why in KNOWN.items() if pair not in {(s, t) for s, t, _ in found})
    assert not stale, "known exceptions that no longer happen; remove them from KNOWN:\n" + "\n".join(stale)


def test_streamlit_only_where_the_app_lives():
    offenders = []
    for path in (ROOT / "seqviz").rglob("*.py"):
        names = {n for n in imports(path) if n == "streamlit" or n.startswith("streamlit.")}
        source = part(module_name(path))
        if source == "bench":
            names = {n for n in names if not n.startswith("streamlit.testing")}
        if source == "load":  # the load generator speaks the protocol: the messages, never the app's API
            names = {n for n in names if not n.startswith("streamlit.proto")}
        if names and source not in STREAMLIT_MAY:
            offenders.append(f"{module_name(path)}: {sorted(names)}")
    assert not offenders, "streamlit outside seqviz.ui:\n" + "\n".join(offenders)


def test_nothing_imports_the_pages_or_the_app():
    for path in [*(ROOT / "seqviz").rglob("*.py"), *(ROOT / "pages").glob("*.py"), ROOT / "app.py"]:
        names = imports(path)
        assert not {n for n in names if n == "app" or n == "pages" or n.startswith("pages.")}, path


def test_no_import_circle():
    edges, circles = graph(), []
    state: dict[str, int] = {}  # 1 on the current path, 2 done

    def visit(module: str, path: list[str]) -> None:
        state[module] = 1
        for target in sorted(edges[module]):
            if state.get(target) == 1:
                circles.append(" -> ".join([*path[path.index(target) :], target]))
            elif target not in state:
                visit(target, [*path, target])
        state[module] = 2

    for module in sorted(edges):
        if module not in state:
            visit(module, [module])
    assert not circles, "import circles:\n" + "\n".join(circles)


@pytest.mark.parametrize("rule", ["no_layer", "circle"])
def test_the_checks_catch_what_they_guard(rule, tmp_path, monkeypatch):
    """Each check fails on a planted violation: a models module importing ui, or two modules importing each other."""
    import tests.test_layering as layering

    fake = tmp_path / "seqviz"
    for sub in ("models", "ui"):
        (fake / sub).mkdir(parents=True)
        (fake / sub / "__init__.py").write_text("")
    (fake / "__init__.py").write_text("")
    if rule == "no_layer":
        (fake / "models" / "a.py").write_text("from ..ui import b\n")
        (fake / "ui" / "b.py").write_text("")
    else:
        (fake / "models" / "a.py").write_text("from . import b\n")
        (fake / "models" / "b.py").write_text("from . import a\n")
    monkeypatch.setattr(layering, "ROOT", tmp_path)
    monkeypatch.setattr(layering, "KNOWN", {})
    check = test_no_layer_imports_a_higher_one if rule == "no_layer" else test_no_import_circle
    with pytest.raises(AssertionError):
        check()
