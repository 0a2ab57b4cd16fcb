"""Apps call downwards: no module under apps/ imports an app above its own, not even inside a function.

The order is the layout of the house plan (shared DESIGN.md, "lowest layer first"). Test packages are
exempt: a test builds a whole world (a library scanned, a film played) and so uses every layer.
"""

from __future__ import annotations

import ast
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
# Known upward imports, to be removed by issue 15 move 3 (audit becomes a low-level app: each app registers
# its own models, and audit records upward facts by subscribing to events). A fixed entry must leave the list.
ALLOWED = {
    ("apps.audit.middleware", "accounts"),  # issue 15 move 3
    ("apps.audit.registry", "accounts"),  # issue 15 move 3
    ("apps.audit.registry", "libraries"),  # issue 15 move 3
    ("apps.audit.registry", "notifications"),  # issue 15 move 3
    ("apps.audit.registry", "requests"),  # issue 15 move 3
    ("apps.audit.services", "accounts"),  # issue 15 move 3
    ("apps.audit.subscribers", "accounts"),  # issue 15 move 3
}


def module_name(path: Path) -> str:
    parts = path.relative_to(APPS_DIR.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(source: str, module: str, *, is_package: bool = False) -> set[str]:
    """Every module named by an import anywhere in `source` (functions, TYPE_CHECKING blocks), made absolute."""
    package = module if is_package else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
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
    assert all_upward_imports() - ALLOWED == set()


def test_the_allow_list_only_holds_imports_that_still_exist():
    assert ALLOWED - all_upward_imports() == set(), "fixed: remove these from ALLOWED"


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
