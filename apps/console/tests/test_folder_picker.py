"""The library form's folder picker: folders only, links checked, hostile paths refused, admins only; and the
form's folder messages next to the field (missing folder, kind change refused)."""

from __future__ import annotations

import os

import pytest

from apps.accounts.models import Role
from apps.core.testing.accessibility import html_problems
from apps.core.testing.people import user_make
from apps.libraries import services as library_services
from apps.libraries.folder_browse import folder_listing
from apps.libraries.models import Library

pytestmark = pytest.mark.django_db
PICKER = "/admin/console/folders/"


@pytest.fixture
def tree(tmp_path):
    """media/{Movies,Shows,.hidden}, a file, a link to /etc and one to Movies."""
    media = tmp_path / "media"
    for name in ("Movies", "Shows", ".hidden"):
        (media / name).mkdir(parents=True)
    (media / "notes.txt").write_text("not a folder")
    os.symlink("/etc", media / "etc-link")
    os.symlink(media / "Movies", media / "films-link")
    return media


def test_only_folders_are_listed_links_resolved_and_checked(tree):
    listing = folder_listing(path=str(tree))
    assert listing.problem == ""
    assert listing.folders == [
        ("films-link", str(tree / "Movies")),
        ("Movies", str(tree / "Movies")),
        ("Shows", str(tree / "Shows")),
    ]
    assert listing.parent == str(tree.parent)


@pytest.mark.parametrize(
    ("path", "said"),
    [
        ("relative/path", "give an absolute path"),
        ("/srv/\x00evil", "give an absolute path"),
        ("/etc", "system folder /etc"),
        ("/proc/self/root/etc", "system folder"),
        ("/does/not/exist", "not an existing folder"),
    ],
)
def test_hostile_paths_are_refused(path, said):
    assert said in folder_listing(path=path).problem


def test_a_link_into_the_system_is_refused_as_its_target(tree):
    assert "system folder /etc" in folder_listing(path=str(tree / "etc-link")).problem
    assert "inside the system folder" in folder_listing(path=str(tree / "Movies") + "/.." * 20 + "/etc").problem


def test_the_data_folder_is_never_browsed(settings):
    assert "server's data folder" in folder_listing(path=str(settings.DATA_DIR)).problem


def test_configured_roots_bound_browsing(tree, settings):
    settings.LINK_TARGETS = [str(tree)]
    assert folder_listing(path=None).path == str(tree)
    assert "outside the folders that may be browsed" in folder_listing(path=str(tree.parent)).problem
    assert folder_listing(path=str(tree)).parent is None  # no way up out of the root


def test_the_picker_is_for_admins(tree, client):
    boss, mod = user_make("boss", role=Role.ADMIN), user_make("mod", role=Role.MODERATOR)
    client.force_login(boss)
    page = client.get(PICKER, {"path": str(tree)})
    html = page.content.decode()
    assert page.status_code == 200 and "Movies" in html and "notes.txt" not in html and ".hidden" not in html
    assert html_problems(html) == []
    refused = client.get(PICKER, {"path": "/etc/ssl"})
    assert refused.status_code == 400 and "system folder /etc" in refused.content.decode()
    assert "/etc/ssl/certs" not in refused.content.decode()
    client.force_login(mod)
    assert client.get(PICKER, {"path": str(tree)}).status_code in (302, 403)


def test_the_library_form_tells_folder_problems_next_to_the_field(tree, client):
    boss = user_make("boss", role=Role.ADMIN)
    client.force_login(boss)
    add = client.get("/admin/libraries/library/add/").content.decode()
    assert 'id="folder-picker"' in add
    data = {"name": "Films", "kind": "movies", "paths": f"{tree}/Missing\nrelative", "scan_interval_minutes": 360}
    answer = client.post("/admin/libraries/library/add/", data)
    errors = answer.context["adminform"].form.errors
    assert "is not an existing folder" in str(errors["paths"]) and "is not an absolute path" in str(errors["paths"])
    assert not Library.objects.exists()
    library = library_services.library_create(name="Films", kind="movies", paths=[str(tree / "Movies")])
    changed = client.post(
        f"/admin/libraries/library/{library.pk}/change/",
        {"name": "Films", "kind": "shows", "paths": str(tree / "Movies"), "scan_interval_minutes": 360},
    )
    assert "the kind of a library cannot change" in str(changed.context["adminform"].form.errors["kind"])
    library.refresh_from_db()
    assert library.kind == "movies"
