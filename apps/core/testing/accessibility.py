"""Accessibility and HTML checks for pages in tests: axe-core in the browser, and a parser for what axe leaves out
(duplicate ids, inputs without a label)."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

AXE = Path(__file__).resolve().parent / "vendor" / "axe" / "axe.min.js"
SERIOUS = ("serious", "critical")


def axe_violations(page, *, impacts: tuple[str, ...] = SERIOUS) -> list[str]:
    """Run axe-core on the page as it is now; one line per violation of the given impacts ("rule: target …")."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    found = []
    for violation in result["violations"]:
        if violation.get("impact") in impacts:
            targets = ", ".join(" ".join(node["target"]) for node in violation["nodes"][:5])
            found.append(f"{violation['id']} ({violation['impact']}): {violation['help']} — {targets}")
    return found


class _Inspector(HTMLParser):
    LABELLED = ("aria-label", "aria-labelledby", "title")
    UNLABELLED_TYPES = ("hidden", "submit", "button", "reset", "image")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: dict[str, int] = {}
        self.label_for: set[str] = set()
        self.inputs: list[tuple[str, dict]] = []
        self.label_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = dict(attrs)
        if named.get("id"):
            self.ids[named["id"]] = self.ids.get(named["id"], 0) + 1
        if tag == "label":
            self.label_depth += 1
            if named.get("for"):
                self.label_for.add(named["for"])
        elif tag in ("input", "select", "textarea") and named.get("type") not in self.UNLABELLED_TYPES:
            self.inputs.append((tag, {**named, "_in_label": bool(self.label_depth)}))

    def handle_endtag(self, tag: str) -> None:
        if tag == "label" and self.label_depth:
            self.label_depth -= 1


def html_problems(html: str) -> list[str]:
    """Duplicate ids and form fields no label names: what makes a page invalid or unusable with a screen reader."""
    inspector = _Inspector()
    inspector.feed(html)
    problems = [f"duplicate id {name!r} x{count}" for name, count in inspector.ids.items() if count > 1]
    for tag, attrs in inspector.inputs:
        named = attrs["_in_label"] or attrs.get("id") in inspector.label_for
        if not named and not any(attrs.get(key) for key in _Inspector.LABELLED):
            problems.append(f"<{tag} name={attrs.get('name')!r}> has no label")
    return problems
