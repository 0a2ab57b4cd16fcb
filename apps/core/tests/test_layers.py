"""Apps call downwards: no module under apps/ imports an app above its own, not even inside a function; no
module imports itself back through a cycle; and an import inside a function says on its line why it is there.

The order is the layout of the house plan (shared DESIGN.md, "lowest layer first"). Test packages are
exempt: a test builds a whole world (a library scanned, a film played) and so uses every layer.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from collections.abc import Iterator
from pathlib import Path

import pytest

APPS_DIR = Path(__file__).resolve().parents[2]
# Lowest first; an app may import only the apps before it. Apps not written yet are in place already.
ORDER = [
    "core",
    "audit",
    "accounts",
    "libraries",
    "media",
    "metadata",
    "scanning",
    "requests",
    "playback",
    "notifications",
    "analytics",
    "console",
    "web",
]


def module_name(path: Path) -> str:
    parts = path.relative_to(APPS_DIR.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_source(node: ast.ImportFrom, package: str) -> str:
    """The absolute module a `from ... import` reads from."""
    if not node.level:
        return node.module or ""
    base = package.split(".")[: len(package.split(".")) - node.level + 1]
    return ".".join([*base, node.module] if node.module else base)


def imported_modules(source: str, module: str, *, is_package: bool = False) -> set[str]:
    """Every module named by an import anywhere in `source` (functions, TYPE_CHECKING blocks), made absolute."""
    package = module if is_package else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            target = import_source(node, package)
            found.add(target)
            found.update(f"{target}.{alias.name}" for alias in node.names)  # `from apps import scanning`
    return found


def app_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "apps" else None


def upward_imports(source: str, module: str, *, is_package: bool = False) -> set[tuple[str, str]]:
    """(module, app) for each app above the module's own that it imports."""
    own = app_of(module)
    found = set()
    for target in imported_modules(source, module, is_package=is_package):
        app = app_of(target)
        if app and app != own and (app not in ORDER or ORDER.index(app) > ORDER.index(own)):
            found.add((module, app))
    return found


def app_modules() -> list[Path]:
    # Exempt like the tests: the test kit (apps/core/testing/) builds whole worlds, so it imports every app.
    return sorted(p for p in APPS_DIR.rglob("*.py") if not {"tests", "testing"} & set(p.relative_to(APPS_DIR).parts))


def all_upward_imports() -> set[tuple[str, str]]:
    found: set[tuple[str, str]] = set()
    for path in app_modules():
        found |= upward_imports(path.read_text(), module_name(path), is_package=path.name == "__init__.py")
    return found


def test_every_app_has_a_place_in_the_order():
    apps = {p.name for p in APPS_DIR.iterdir() if (p / "apps.py").exists()}
    assert apps - set(ORDER) == set(), "place the new app in ORDER (and in the layout of DESIGN.md)"


def test_no_app_imports_an_app_above_it():
    assert all_upward_imports() == set()


@pytest.mark.parametrize(
    ("source", "module", "expected"),
    [
        ("from apps.scanning import services", "apps.libraries.api.views", {("apps.libraries.api.views", "scanning")}),
        ("def f():\n    import apps.media.models\n", "apps.libraries.admin", {("apps.libraries.admin", "media")}),
        ("if True:\n    from apps import scanning\n", "apps.media.x", {("apps.media.x", "scanning")}),
        ("from ...scanning import walker", "apps.media.api.views", {("apps.media.api.views", "scanning")}),
        ("from apps.nowhere import x", "apps.core.x", {("apps.core.x", "nowhere")}),
        ("from apps.libraries.models import Library", "apps.scanning.walker", set()),
        ("from . import naming", "apps.scanning.indexer", set()),
        ("import os\nfrom django.db import models", "apps.core.x", set()),
    ],
)
def test_the_check_sees_upward_imports_wherever_they_hide(source, module, expected):
    assert upward_imports(source, module) == expected


def test_libraries_and_media_import_nothing_above_them():
    # The cycle this issue removed: libraries ↔ media, and media reaching into scanning.
    found = {(m, app) for m, app in all_upward_imports() if app_of(m) in {"libraries", "media", "scanning"}}
    assert found == set()


# Module-level import cycles -------------------------------------------------------------------------------------


def _type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def run_at_import(body: list[ast.stmt]) -> Iterator[ast.Import | ast.ImportFrom]:
    """The imports a module runs when it is imported: its top level, `if`/`try`/`with` blocks, not TYPE_CHECKING."""
    for node in body:
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        elif isinstance(node, ast.If):
            yield from run_at_import(node.orelse if _type_checking(node.test) else node.body + node.orelse)
        elif isinstance(node, ast.Try):
            yield from run_at_import(node.body + node.orelse + node.finalbody)
            for handler in node.handlers:
                yield from run_at_import(handler.body)
        elif isinstance(node, ast.With):
            yield from run_at_import(node.body)


def import_graph(sources: dict[str, tuple[str, bool]]) -> dict[str, set[str]]:
    """module -> the modules of `sources` ({module: (source, is_package)}) it imports when it is imported.

    `from apps.x import y` leads to the module apps.x.y when there is one, else to apps.x. The parent packages
    Python imports on the way are left out: a package that imports its own submodules is no cycle.
    """
    graph: dict[str, set[str]] = {}
    for module, (source, is_package) in sources.items():
        package = module if is_package else module.rpartition(".")[0]
        edges: set[str] = set()
        for node in run_at_import(ast.parse(source).body):
            if isinstance(node, ast.Import):
                edges.update(alias.name for alias in node.names if alias.name in sources)
                continue
            target = import_source(node, package)
            for alias in node.names:
                if f"{target}.{alias.name}" in sources:
                    edges.add(f"{target}.{alias.name}")
                elif target in sources:
                    edges.add(target)
        graph[module] = edges - {module}
    return graph


def import_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The groups of modules that import one another round a cycle (strongly connected, Tarjan), sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        for target in sorted(graph.get(module, ())):
            if target not in index:
                visit(target)
                low[module] = min(low[module], low[target])
            elif target in stack:
                low[module] = min(low[module], index[target])
        if low[module] == index[module]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == module:
                    break
            if len(group) > 1:
                cycles.append(sorted(group))

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return sorted(cycles)


def app_sources() -> dict[str, tuple[str, bool]]:
    return {
        module_name(path): (path.read_text(), path.name == "__init__.py")
        for path in app_modules()
        if "migrations" not in path.relative_to(APPS_DIR).parts
    }


def test_no_module_imports_itself_back_through_a_cycle():
    assert import_cycles(import_graph(app_sources())) == [], "move the shared code into a module both can import"


@pytest.mark.parametrize(
    ("sources", "expected"),
    [
        (
            {"apps.a.x": ("from apps.a import y", False), "apps.a.y": ("import apps.a.x", False)},
            [["apps.a.x", "apps.a.y"]],
        ),
        (
            {
                "apps.a.x": ("from apps.a.y import f", False),
                "apps.a.y": ("from .z import g", False),
                "apps.a.z": ("try:\n    from apps.a.x import h\nexcept ImportError:\n    pass", False),
            },
            [["apps.a.x", "apps.a.y", "apps.a.z"]],
        ),
        ({"apps.a.x": ("from apps.a import y", False), "apps.a.y": ("def f():\n    import apps.a.x", False)}, []),
        (
            {
                "apps.a.x": ("from apps.a import y", False),
                "apps.a.y": ("if TYPE_CHECKING:\n    from apps.a.x import X", False),
            },
            [],
        ),
        ({"apps.a.p": ("from apps.a.p import sub", True), "apps.a.p.sub": ("from apps.a.p.base import B", False)}, []),
    ],
)
def test_the_cycle_check_follows_imports_run_at_import_time(sources, expected):
    assert import_cycles(import_graph(sources)) == expected


# Imports inside functions -----------------------------------------------------------------------------------------

NOQA = re.compile(r"noqa(:\s*[A-Z]+[0-9]+(,\s*[A-Z]+[0-9]+)*)?", re.IGNORECASE)


def comments_of(source: str) -> dict[int, str]:
    """Line number -> the text of its comment."""
    tokens = tokenize.generate_tokens(io.StringIO(source).readline)
    return {token.start[0]: token.string for token in tokens if token.type == tokenize.COMMENT}


def says_why(comment: str | None) -> bool:
    """A comment with words in it; a bare `# noqa: F401` explains nothing."""
    return bool(comment and NOQA.sub("", comment.lstrip("#")).strip(" -:—"))


def unexplained_imports(source: str) -> list[int]:
    """Lines of imports inside functions with no reason given: a comment on the import's own lines, or on the
    line above it or above the block of imports it belongs to."""
    tree = ast.parse(source)
    lines = source.splitlines()
    comments = comments_of(source)
    found = []
    for function in ast.walk(tree):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        imports = [n for n in ast.walk(function) if isinstance(n, ast.Import | ast.ImportFrom)]
        import_lines = {line for n in imports for line in range(n.lineno, n.end_lineno + 1)}
        for node in imports:
            if any(says_why(comments.get(line)) for line in range(node.lineno, node.end_lineno + 1)):
                continue
            above = node.lineno - 1
            while above > function.lineno and (above in import_lines or not lines[above - 1].strip()):
                above -= 1  # the block's other imports, and blank lines, share the block's comment
            if not (lines[above - 1].strip().startswith("#") and says_why(comments.get(above))):
                found.append(node.lineno)
    return sorted(set(found))


def test_an_import_inside_a_function_says_why_it_is_not_at_the_top():
    # Migrations are generated code (ruff leaves them alone too).
    found = {
        f"{module}:{line}" for module, (source, _) in app_sources().items() for line in unexplained_imports(source)
    }
    assert found == set(), "move the import to the top (break the cycle), or say on its line why it waits"


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("def f():\n    import json\n", [2]),
        ("def f():\n    import apprise  # lazy: slow to import\n", []),
        ("def f():\n    # Needs the app registry.\n    from apps.x import a\n\n    from apps.x import b\n", []),
        ("def f():\n    from apps.x import a  # noqa: F401\n", [2]),
        ("def f():\n    from apps.x import a  # noqa: F401 - registers the checks\n", []),
        ("# about f\ndef f():\n    import json\n", [3]),
        ("def f():\n    x = 1\n    import json\n", [3]),
        ("def f():\n    from apps.x import (  # the registry is not ready before\n        a,\n    )\n", []),
        ("import json\n", []),
    ],
)
def test_the_check_finds_function_level_imports_without_a_reason(source, expected):
    assert unexplained_imports(source) == expected
