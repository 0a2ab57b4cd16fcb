"""Reviewing duplicates over the API and in the admin: who sees which groups, keep, dismiss, delete from disk."""

from __future__ import annotations

import shutil

import pytest
from django.test import Client
from guardian.shortcuts import assign_perm

from apps.accounts.models import Role
from apps.accounts.services import users
from apps.audit.models import Activity
from apps.core.testing.catalogue import ClipLibrary
from apps.media.models import DuplicateGroup, MediaFile

pytestmark = pytest.mark.django_db


@pytest.fixture
def movies(tmp_path) -> ClipLibrary:
    """A library with one exact pair and one perceptual pair."""
    movies = ClipLibrary(tmp_path / "movies")
    one = movies.clip("One (2001)/One (2001).mkv", seed=1)
    (movies.root / "Two (2002)").mkdir()
    shutil.copyfile(one, movies.root / "Two (2002)" / "Two (2002).mkv")
    movies.clip("Alpha (2003)/Alpha (2003).mkv", seed=3)
    movies.reencode("Alpha (2003)/Alpha (2003).mkv", "Alpha Small (2004)/Alpha Small (2004).mp4")
    movies.refresh()
    return movies


@pytest.fixture
def admin_user(db):
    role = Role.objects.get(group__name=Role.ADMIN)
    return users.user_create(username="boss", password="x" * 12, by=None, role=role)


def test_managers_list_groups_with_members(api_client, movies, admin_user):
    api_client.force_authenticate(admin_user)
    body = api_client.get("/api/v1/duplicates/?ordering=created_at").json()
    assert [g["kind"] for g in body["results"]] == ["exact", "perceptual"]
    exact = body["results"][0]
    assert exact["status"] == "open" and exact["library"] == movies.library.pk
    member = exact["members"][0]
    assert member["path"].endswith(".mkv") and member["name"].endswith(".mkv")
    assert (member["width"], member["height"], member["resolution"], member["codec"]) == (320, 240, "320x240", "h264")
    assert member["duration"] == pytest.approx(4, abs=0.2)
    assert api_client.get("/api/v1/duplicates/?kind=perceptual").json()["count"] == 1
    assert api_client.get("/api/v1/duplicates/?status=dismissed").json()["count"] == 0
    assert api_client.get(f"/api/v1/duplicates/?library={movies.library.pk}").json()["count"] == 2


def test_members_without_manage_rights_get_403_and_404(api_client, movies, user):
    api_client.force_authenticate(user)
    group = movies.group("exact")
    assert api_client.get("/api/v1/duplicates/").status_code == 403
    assert api_client.get(f"/api/v1/duplicates/{group.pk}/").status_code == 404
    assert api_client.post(f"/api/v1/duplicates/{group.pk}/dismiss/").status_code == 404


def test_a_manager_of_one_library_sees_its_groups_only_and_no_paths(api_client, movies, user, tmp_path):
    other = ClipLibrary(tmp_path / "other", name="Other")
    clip = other.clip("X (2001)/X (2001).mkv", seed=7)
    (other.root / "Y (2002)").mkdir()
    shutil.copyfile(clip, other.root / "Y (2002)" / "Y (2002).mkv")
    other.refresh()
    assign_perm("libraries.manage_library", user, other.library)
    api_client.force_authenticate(user)

    body = api_client.get("/api/v1/duplicates/").json()
    assert [g["library"] for g in body["results"]] == [other.library.pk]
    # The manager of that library sees its server paths.
    assert body["results"][0]["members"][0]["path"].startswith(str(other.root))
    hidden = movies.group("exact")
    assert api_client.get(f"/api/v1/duplicates/{hidden.pk}/").status_code == 404
    assert api_client.post(f"/api/v1/duplicates/{hidden.pk}/dismiss/").status_code == 404
    mine = other.group("exact")
    assert api_client.post(f"/api/v1/duplicates/{mine.pk}/dismiss/").json()["status"] == "dismissed"


def test_keep_one_file(api_client, movies, admin_user):
    api_client.force_authenticate(admin_user)
    group = movies.group("perceptual")
    small = movies.file("Alpha Small (2004)/Alpha Small (2004).mp4")
    body = api_client.post(f"/api/v1/duplicates/{group.pk}/keep/", {"file": small.pk}, format="json").json()
    assert (body["status"], body["kept_file"], body["decided_by"]) == ("kept", small.pk, admin_user.pk)
    stranger = movies.file("One (2001)/One (2001).mkv")
    response = api_client.post(f"/api/v1/duplicates/{group.pk}/keep/", {"file": stranger.pk}, format="json")
    assert response.status_code == 400
    assert "not a member" in response.json()["errors"]["file"][0]


def test_dismiss_is_remembered(api_client, movies, admin_user):
    api_client.force_authenticate(admin_user)
    group = movies.group("exact")
    assert api_client.post(f"/api/v1/duplicates/{group.pk}/dismiss/").json()["status"] == "dismissed"
    DuplicateGroup.objects.all().delete()
    movies.refresh()
    assert movies.group("exact").status == "dismissed"
    assert movies.group("perceptual").status == "open"


def test_deleting_a_file_needs_confirmation_and_is_recorded(api_client, movies, admin_user):
    api_client.force_authenticate(admin_user)
    group = movies.group("exact")
    two = movies.file("Two (2002)/Two (2002).mkv")
    url = f"/api/v1/duplicates/{group.pk}/delete-file/"

    response = api_client.post(url, {"file": two.pk}, format="json")
    assert response.status_code == 400
    assert "confirm" in response.json()["errors"]
    assert (movies.root / "Two (2002)" / "Two (2002).mkv").exists()
    assert not Activity.objects.filter(event="file_deleted").exists()

    response = api_client.post(url, {"file": two.pk, "confirm": True}, format="json", REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 200, response.content
    assert response.json() == {"deleted": two.pk, "group": None}  # one file left: no group any more
    assert not (movies.root / "Two (2002)" / "Two (2002).mkv").exists()
    assert (movies.root / "One (2001)" / "One (2001).mkv").exists()
    assert not MediaFile.objects.filter(pk=two.pk).exists()
    assert not DuplicateGroup.objects.filter(pk=group.pk).exists()
    entry = Activity.objects.get(event="file_deleted")
    assert (entry.actor, entry.object_pk, entry.remote_addr) == (admin_user, str(two.pk), "10.1.2.3")
    assert entry.additional_data["path"] == two.path and entry.additional_data["kind"] == "exact"


def test_what_is_never_deleted(api_client, movies, admin_user, tmp_path):
    api_client.force_authenticate(admin_user)
    group = movies.group("perceptual")
    alpha, small = (
        movies.file("Alpha (2003)/Alpha (2003).mkv"),
        movies.file("Alpha Small (2004)/Alpha Small (2004).mp4"),
    )
    url = f"/api/v1/duplicates/{group.pk}/delete-file/"
    api_client.post(f"/api/v1/duplicates/{group.pk}/keep/", {"file": alpha.pk}, format="json")
    response = api_client.post(url, {"file": alpha.pk, "confirm": True}, format="json")
    assert response.status_code == 400 and "keep" in str(response.json())

    # A file whose path leads outside the library's folders (a symbolic link resolved) stays.
    outside = tmp_path / "elsewhere.mp4"
    shutil.copyfile(small.path, outside)
    (movies.root / "Alpha Small (2004)" / "Alpha Small (2004).mp4").unlink()
    (movies.root / "Alpha Small (2004)" / "Alpha Small (2004).mp4").symlink_to(outside)
    response = api_client.post(url, {"file": small.pk, "confirm": True}, format="json")
    assert response.status_code == 400 and "outside" in str(response.json())
    assert outside.exists()

    # The last copy still on disk stays, whatever is asked.
    DuplicateGroup.objects.filter(pk=group.pk).update(status="open", kept_file=None)
    (movies.root / "Alpha Small (2004)" / "Alpha Small (2004).mp4").unlink()
    response = api_client.post(url, {"file": alpha.pk, "confirm": True}, format="json")
    assert response.status_code == 400 and "no other file" in str(response.json())
    assert (movies.root / "Alpha (2003)" / "Alpha (2003).mkv").exists()


def test_admin_review_keep_dismiss_and_delete_after_a_confirmation_page(movies, admin_user):
    client = Client()
    client.force_login(admin_user)
    group = movies.group("exact")
    one, two = movies.file("One (2001)/One (2001).mkv"), movies.file("Two (2002)/Two (2002).mkv")
    base = f"/admin/media/duplicategroup/{group.pk}"

    assert client.get("/admin/media/duplicategroup/").status_code == 200
    page = client.get(f"{base}/change/").content.decode()
    assert "Keep this file" in page and "Not a duplicate" in page and two.path in page

    assert client.post(f"{base}/keep/{one.pk}/").status_code == 302
    group.refresh_from_db()
    assert (group.status, group.kept_file_id) == ("kept", one.pk)
    assert client.get(f"{base}/keep/{one.pk}/").status_code == 405  # a change needs a POST

    confirm = client.get(f"{base}/delete-file/{two.pk}/")
    assert confirm.status_code == 200 and "cannot be undone" in confirm.content.decode()
    client.post(f"{base}/delete-file/{two.pk}/")  # a POST without the confirmation deletes nothing
    assert (movies.root / "Two (2002)" / "Two (2002).mkv").exists()
    response = client.post(f"{base}/delete-file/{two.pk}/", {"confirm": "yes"})
    assert response.status_code == 302 and response["Location"] == "/admin/media/duplicategroup/"
    assert not (movies.root / "Two (2002)" / "Two (2002).mkv").exists()
    assert Activity.objects.filter(event="file_deleted", actor=admin_user).count() == 1

    perceptual = movies.group("perceptual")
    client.post(f"/admin/media/duplicategroup/{perceptual.pk}/dismiss/")
    assert DuplicateGroup.objects.get(pk=perceptual.pk).status == "dismissed"


def test_admin_bulk_dismiss_and_what_others_cannot_reach(movies, admin_user, user):
    client = Client()
    client.force_login(admin_user)
    ids = [str(g.pk) for g in DuplicateGroup.objects.all()]
    client.post("/admin/media/duplicategroup/", {"action": "dismiss_selected", "_selected_action": ids})
    assert set(DuplicateGroup.objects.values_list("status", flat=True)) == {"dismissed"}

    moderator = users.user_create(
        username="mod", password="x" * 12, by=None, role=Role.objects.get(group__name=Role.MODERATOR)
    )
    client.force_login(moderator)
    group = movies.group("exact")
    assert client.get(f"/admin/media/duplicategroup/{group.pk}/delete-file/{group.files.first().pk}/").status_code in (
        403,
        404,
    )
    assert client.post(f"/admin/media/duplicategroup/{group.pk}/dismiss/").status_code in (403, 404)
