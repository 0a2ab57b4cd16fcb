"""A per-library manager resolves duplicates of files really in that library, and nothing else."""

from __future__ import annotations

import os
import shutil

import pytest

from apps.accounts.models import Role
from apps.accounts.services import users
from apps.core.testing.catalogue import ClipLibrary
from apps.libraries import services as library_services
from apps.media.models import DuplicateGroup, DuplicateMember, MediaFile

pytestmark = pytest.mark.django_db


@pytest.fixture
def mine(tmp_path) -> ClipLibrary:
    """A library with an exact pair, managed (per library) by a plain user who sees nothing else."""
    library = ClipLibrary(tmp_path / "movies", name="Mine")
    one = library.clip("One (2001)/One (2001).mkv", seed=1)
    (library.root / "Two (2002)").mkdir()
    shutil.copyfile(one, library.root / "Two (2002)" / "Two (2002).mkv")
    library.refresh()
    return library


@pytest.fixture
def manager(mine):
    user_role = Role.objects.get(group__name=Role.USER)
    user = users.user_create(username="mona", password="x" * 12, by=None, role=user_role)
    library_services.library_grants_set(
        library=mine.library, roles={}, users={"mona": ["manage_library", "view_library"]}, by=None
    )
    return user


def delete(api_client, group: DuplicateGroup, file: MediaFile):
    return api_client.post(
        f"/api/v1/duplicates/{group.pk}/delete-file/", {"file": file.pk, "confirm": True}, format="json"
    )


def test_a_file_also_in_a_library_one_cannot_see_is_not_deleted(api_client, mine, manager):
    """The operator gave a private library a folder inside this one: its file is not this manager's to delete."""
    two = mine.file("Two (2002)/Two (2002).mkv")
    private = library_services.library_create(name="Private", kind="movies", paths=[str(mine.root / "Two (2002)")])
    library_services.library_grants_set(library=private, roles={}, users={}, by=None)
    api_client.force_authenticate(manager)
    response = delete(api_client, mine.group("exact"), two)
    assert response.status_code == 403, response.content
    assert os.path.isfile(two.path) and MediaFile.objects.filter(pk=two.pk).exists()
    # Once the overlap is gone the same manager resolves the same group.
    private.delete()
    assert delete(api_client, mine.group("exact"), two).status_code == 200
    assert not os.path.exists(two.path)


def test_a_member_that_links_out_of_the_library_is_not_deleted(api_client, mine, manager, tmp_path):
    outside = tmp_path / "elsewhere" / "secret.mkv"
    outside.parent.mkdir()
    shutil.copyfile(mine.root / "One (2001)" / "One (2001).mkv", outside)
    link = mine.root / "Link (2005)" / "Link (2005).mkv"
    link.parent.mkdir()
    link.symlink_to(outside)
    group = mine.group("exact")
    # Made by hand: whether a scan indexes such a link at all is the containment check's decision.
    row = MediaFile.objects.create(library=mine.library, path=str(link), size=outside.stat().st_size, mtime_ns=1)
    DuplicateMember.objects.create(group=group, file=row)
    api_client.force_authenticate(manager)
    response = delete(api_client, group, row)
    assert response.status_code == 400 and "outside the library" in response.json()["errors"]["file"][0]
    assert outside.is_file() and link.is_symlink()


def test_groups_of_other_libraries_are_not_found(api_client, mine, manager, tmp_path):
    other = ClipLibrary(tmp_path / "other", name="Other")
    first = other.clip("A (2001)/A (2001).mkv", seed=5)
    (other.root / "B (2002)").mkdir()
    shutil.copyfile(first, other.root / "B (2002)" / "B (2002).mkv")
    other.refresh()
    api_client.force_authenticate(manager)
    group = other.group("exact")
    victim = other.file("B (2002)/B (2002).mkv")
    assert delete(api_client, group, victim).status_code == 404
    assert os.path.isfile(victim.path)
    # A member of another library named in this library's group is no member of it.
    response = delete(api_client, mine.group("exact"), victim)
    assert response.status_code == 400 and os.path.isfile(victim.path)
    assert api_client.get("/api/v1/duplicates/").json()["count"] == 1
