"""The grants matrices: one library's roles and users by view / download / manage, and one role's libraries by
the same, each saved at once through libraries.services.library_grants_set (the API's write).

A row the operator may not change (a role or user not ranked below them, a permission they do not hold)
is shown disabled and kept exactly as stored; people the operator cannot see are kept and not shown.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_http_methods

from apps.accounts.models import Role, User
from apps.accounts.selectors import roles_visible_to, users_visible_to
from apps.libraries import rules
from apps.libraries import services as library_services
from apps.libraries.grants import grants_editable_by, grants_of_role, permissions_grantable_by
from apps.libraries.models import Library
from apps.libraries.selectors import libraries_visible_to

PERMISSIONS = (("view_library", "View"), ("download_library", "Download"), ("manage_library", "Manage"))
KNOWN = {codename for codename, _ in PERMISSIONS}


class GrantsRefused(Exception):
    """Broken or refused input: told on the page, nothing saved."""


@dataclass
class Cell:
    codename: str
    label: str
    checked: bool
    enabled: bool


@dataclass
class Row:
    key: str  # the form field's name: "role-<pk>", "user-<pk>" or "library-<pk>"
    label: str
    note: str
    editable: bool
    cells: list[Cell] = field(default_factory=list)


def _cells(held: list[str], *, editable: bool, grantable: tuple[str, ...]) -> list[Cell]:
    return [Cell(c, label, c in held, editable and c in grantable) for c, label in PERMISSIONS]


def _posted(request: HttpRequest, key: str) -> set[str]:
    values = set(request.POST.getlist(key))
    unknown = sorted(values - KNOWN)
    if unknown:
        raise GrantsRefused(f"Unknown permission {', '.join(map(repr, unknown))}: choose view, download or manage.")
    return values


def _wanted(held: list[str], posted: set[str], grantable: tuple[str, ...]) -> list[str]:
    """What the operator ticked among what they may grant; the rest stays as stored."""
    return sorted(c for c in KNOWN if (c in posted if c in grantable else c in held))


def _saved_or_refusal(save: Callable[[], object]) -> tuple[object, str]:
    """What `save` returned and no error, or nothing and why it was refused (and saved nothing)."""
    try:
        return save(), ""
    except (GrantsRefused, PermissionDenied) as exc:
        return None, str(exc)
    except ValidationError as exc:
        return None, "; ".join(exc.messages)


def _page(request: HttpRequest, template: str, context: dict, *, error: str = "") -> HttpResponse:
    context = {**admin.site.each_context(request), **context, "error": error}
    return TemplateResponse(request, template, context, status=400 if error else 200)


# One library: roles and users (rows) by permissions.


def _library_rows(user: User, library: Library) -> tuple[list[Row], list[Row], dict, list[User], int]:
    current = library_services.library_grants(library=library)
    may_manage = rules.may_manage_library(actor=user, library=library)
    grantable = permissions_grantable_by(by=user, library=library)
    role_rows = []
    for role in roles_visible_to(user=user).order_by("-rank", "group__name"):
        editable = may_manage and grants_editable_by(by=user, target=role)
        held = current["roles"].get(role.name, [])
        note = f"rank {role.rank}" + ("" if editable else " · not yours to change")
        role_rows.append(
            Row(f"role-{role.pk}", role.name, note, editable, _cells(held, editable=editable, grantable=grantable))
        )
    visible = users_visible_to(user=user)
    user_rows = []
    for person in visible.filter(username__in=current["users"]).order_by("username"):
        editable = may_manage and grants_editable_by(by=user, target=person)
        held = current["users"].get(person.username, [])
        note = (person.role.name if person.role_id else "no role") + ("" if editable else " · not yours to change")
        user_rows.append(
            Row(
                f"user-{person.pk}",
                person.username,
                note,
                editable,
                _cells(held, editable=editable, grantable=grantable),
            )
        )
    addable = [
        person
        for person in visible.exclude(username__in=current["users"]).order_by("username")
        if may_manage and grants_editable_by(by=user, target=person)
    ]
    hidden = len(set(current["users"]) - {row.label for row in user_rows})
    return role_rows, user_rows, current, addable, hidden


def _library_wanted(request: HttpRequest, library: Library) -> tuple[dict, dict]:
    user = request.user
    role_rows, user_rows, current, addable, _ = _library_rows(user, library)
    grantable = permissions_grantable_by(by=user, library=library)
    roles = {name: list(perms) for name, perms in current["roles"].items()}
    users = {name: list(perms) for name, perms in current["users"].items()}
    for rows, wanted in ((role_rows, roles), (user_rows, users)):
        for row in rows:
            if row.editable:
                wanted[row.label] = _wanted(wanted.get(row.label, []), _posted(request, row.key), grantable)
    added = request.POST.get("add_user", "").strip()
    if added:
        person = next((p for p in addable if str(p.pk) == added), None)
        if person is None:
            raise GrantsRefused("Pick the user to add from the list: that one is not yours to grant to.")
        perms = _wanted([], _posted(request, "add_user_perms"), grantable)
        if not perms:
            raise GrantsRefused(f"Tick at least one permission for {person.username}, or leave the new row empty.")
        users[person.username] = perms
    return roles, users


def _library_save(request: HttpRequest, library: Library) -> dict:
    roles, users = _library_wanted(request, library)
    return library_services.library_grants_set(library=library, roles=roles, users=users, by=request.user)


@require_http_methods(["GET", "POST"])
def library_grants(request: HttpRequest, library_id: int) -> HttpResponse:
    """GET: the matrix. POST: save every row at once (or nothing, with the reason above the table)."""
    library = libraries_visible_to(user=request.user).filter(pk=library_id).first()
    if library is None:
        raise Http404("no such library")
    error = ""
    if request.method == "POST":
        if not rules.may_manage_library(actor=request.user, library=library):
            raise PermissionDenied("you may not change the grants of this library")
        _, error = _saved_or_refusal(lambda: _library_save(request, library))
        if not error:
            messages.success(request, f"Saved who may see {library}.")
            return redirect("admin:console_library_grants", library_id=library.pk)
    role_rows, user_rows, _, addable, hidden = _library_rows(request.user, library)
    context = {
        "title": f"Who may see {library}",
        "library": library,
        "permissions": PERMISSIONS,
        "role_rows": role_rows,
        "user_rows": user_rows,
        "addable": addable,
        "hidden": hidden,
        "may_save": rules.may_manage_library(actor=request.user, library=library),
        "grantable": permissions_grantable_by(by=request.user, library=library),
    }
    return _page(request, "admin/console/access/library_grants.html", context, error=error)


# One role: libraries (rows) by permissions.


def _role_rows(user: User, role: Role) -> list[tuple[Library, Row, tuple[str, ...]]]:
    held_by_library = grants_of_role(role=role)
    role_editable = grants_editable_by(by=user, target=role)
    rows = []
    for library in libraries_visible_to(user=user).order_by("name"):
        editable = role_editable and rules.may_manage_library(actor=user, library=library)
        grantable = permissions_grantable_by(by=user, library=library)
        held = held_by_library.get(library.pk, [])
        note = library.get_kind_display() + ("" if editable else " · not yours to change")
        cells = _cells(held, editable=editable, grantable=grantable)
        rows.append((library, Row(f"library-{library.pk}", library.name, note, editable, cells), grantable))
    return rows


@transaction.atomic
def _role_save(request: HttpRequest, role: Role) -> int:
    """Every library whose row changed, in one transaction: a refusal on the last leaves the first unchanged."""
    changed = 0
    for library, row, grantable in _role_rows(request.user, role):
        if not row.editable:
            continue
        held = [cell.codename for cell in row.cells if cell.checked]
        wanted = _wanted(held, _posted(request, row.key), grantable)
        if wanted == sorted(held):
            continue
        current = library_services.library_grants(library=library)
        roles = {**current["roles"], role.name: wanted}
        library_services.library_grants_set(library=library, roles=roles, users=current["users"], by=request.user)
        changed += 1
    return changed


@require_http_methods(["GET", "POST"])
def role_grants(request: HttpRequest, role_id: int) -> HttpResponse:
    role = roles_visible_to(user=request.user).filter(pk=role_id).first()
    if role is None:
        raise Http404("no such role")
    error = ""
    if request.method == "POST":
        changed, error = _saved_or_refusal(lambda: _role_save(request, role))
        if not error:
            messages.success(request, f"Saved the libraries of {role.name} ({changed} changed).")
            return redirect("admin:console_role_grants", role_id=role.pk)
    rows = _role_rows(request.user, role)
    context = {
        "title": f"Libraries of the role {role.name}",
        "role": role,
        "permissions": PERMISSIONS,
        "rows": [row for _, row, _ in rows],
        "may_save": any(row.editable for _, row, _ in rows),
    }
    return _page(request, "admin/console/access/role_grants.html", context, error=error)
