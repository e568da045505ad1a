"""Stage: all (the package's layout). The package shows the pipeline: its imports, read with
`ast`, run one way between the stages (docs/architecture.md), in no circle, a stage's
private names stay inside it, and no module grows past 450 lines.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

PACKAGE = Path(__file__).parent.parent / "atlas"
TESTS = Path(__file__).parent
MAX_LINES = 450

# The stages in pipeline order: a module may import its own stage and the stages before
# it. Stages of one rank stand side by side and import neither each other nor later ones.
RANKS = {
    "base": 0,  # atlas/__init__.py, atlas.errors, atlas.util: what every stage may use
    "source": 1,
    "geo": 2,
    "site": 3,
    "formats": 4,
    "building": 4,
    "serve": 5,
    "cli": 6,
}


@dataclass(frozen=True)
class Import:
    importer: str
    imported: str
    line: int
    names: tuple[str, ...]  # for `from X import a, b`: a and b (empty for `import X`)


def module_name(path: Path, package: Path = PACKAGE) -> str:
    parts = ("atlas", *path.relative_to(package).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules(package: Path = PACKAGE) -> dict[str, Path]:
    return {module_name(path, package): path for path in sorted(package.rglob("*.py"))}


def stage_of(module: str) -> str:
    parts = module.split(".")
    if len(parts) == 1 or parts[1] in ("errors", "util"):
        return "base"
    if parts[1] in ("cli", "__main__"):
        return "cli"
    return parts[1]


def imports_of(module: str, path: Path, known: dict[str, Path]) -> Iterator[Import]:
    """Every import of an atlas module in `path`, at any depth (inside functions and
    `if TYPE_CHECKING:` too: a circle through a late import is still a circle)."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name in known:
                    yield Import(module, alias.name, node.lineno, ())
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parent, base] if base else parent)
            if base not in known:
                continue
            submodules = [alias.name for alias in node.names if f"{base}.{alias.name}" in known]
            names = tuple(alias.name for alias in node.names if alias.name not in submodules)
            if names:
                yield Import(module, base, node.lineno, names)
            for name in submodules:
                yield Import(module, f"{base}.{name}", node.lineno, ())


def all_imports(package: Path = PACKAGE) -> list[Import]:
    known = modules(package)
    return [found for module, path in known.items() for found in imports_of(module, path, known)]


def circles(edges: list[Import]) -> list[list[str]]:
    """The strongly connected components of more than one module, or of one that imports itself (Tarjan)."""
    graph: dict[str, set[str]] = {}
    for edge in edges:
        graph.setdefault(edge.importer, set()).add(edge.imported)
        graph.setdefault(edge.imported, set())
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1 or node in graph[node]:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def against_the_stages(edges: list[Import]) -> list[str]:
    wrong = []
    for edge in edges:
        mine, theirs = stage_of(edge.importer), stage_of(edge.imported)
        if mine != theirs and RANKS[theirs] >= RANKS[mine]:
            wrong.append(f"{edge.importer}:{edge.line} ({mine}) imports {edge.imported} ({theirs})")
    return wrong


def private_reached(edges: list[Import]) -> list[str]:
    return [f"{edge.importer}:{edge.line} imports {name} from {edge.imported}"
            for edge in edges for name in edge.names
            if name.startswith("_") and not name.startswith("__") and stage_of(edge.importer) != stage_of(edge.imported)]


def test_every_module_belongs_to_a_known_stage() -> None:
    assert {stage_of(module) for module in modules()} <= set(RANKS)
    assert {stage_of(module) for module in modules()} == set(RANKS), "a stage without a module: update RANKS"


def test_each_stage_says_what_it_takes_and_gives() -> None:
    for stage in RANKS.keys() - {"base", "cli"}:
        doc = ast.get_docstring(ast.parse((PACKAGE / stage / "__init__.py").read_text())) or ""
        assert re.search(r"\bTakes\b", doc) and re.search(r"\bGives\b|\bgives\b", doc), stage


def test_imports_run_one_way() -> None:
    assert against_the_stages(all_imports()) == []


def test_no_circle_of_imports() -> None:
    assert circles(all_imports()) == []


def test_private_names_stay_in_their_stage() -> None:
    assert private_reached(all_imports()) == []


def test_no_module_is_over_450_lines() -> None:
    sizes = {module: len(path.read_text().splitlines()) for module, path in modules().items()}
    assert {module: size for module, size in sizes.items() if size > MAX_LINES} == {}


def test_every_test_module_says_which_stage_it_tests() -> None:
    stages = {"all", "source", "geo", "site", "formats", "building", "serve", "cli", "util"}
    unsaid = []
    for path in sorted(TESTS.glob("test_*.py")):
        doc = ast.get_docstring(ast.parse(path.read_text())) or ""
        said = re.match(r"Stages?: ([a-z, ]+?)[.(]", doc)
        if not said or not {word.strip() for word in said.group(1).split(",")} <= stages:
            unsaid.append(path.name)
    assert unsaid == []


# The checks themselves, on a small package written here: each finds what it is for.

def _package(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "atlas"
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


@pytest.fixture
def wrong_package(tmp_path: Path) -> Path:
    return _package(tmp_path, {
        "__init__.py": "",
        "errors.py": "",
        "source/__init__.py": "",
        "source/model.py": "from atlas.site import render\n",  # against the stages
        "site/__init__.py": "",
        "site/render.py": "from atlas.source.model import _hidden\nfrom . import views\n",
        "site/views.py": "def f():\n    from .render import x\n",  # a circle through a late import
    })


def test_the_checks_find_what_they_are_for(wrong_package: Path) -> None:
    edges = all_imports(wrong_package)
    assert against_the_stages(edges) == ["atlas.source.model:1 (source) imports atlas.site.render (site)"]
    assert private_reached(edges) == ["atlas.site.render:1 imports _hidden from atlas.source.model"]
    assert circles(edges) == [["atlas.site.render", "atlas.site.views", "atlas.source.model"]]
