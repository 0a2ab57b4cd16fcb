"""Edits and deletions of the catalogue from the admin: through apps/media/edits.py, audited, cache bumped."""

from __future__ import annotations

import pytest

from apps.accounts.models import Role
from apps.accounts.services import roles, users
from apps.audit.models import Activity
from apps.core import caching
from apps.libraries import services as library_services
from apps.media import selectors
from apps.media.models import MediaFile, Movie, Show
from apps.scanning import services as scanning

pytestmark = pytest.mark.django_db

MOVIE_NFO = b"<movie><title>Heat</title><year>1995</year><mpaa>PG</mpaa></movie>"


@pytest.fixture
def admin(db):
    role = Role.objects.get(group__name=Role.ADMIN)
    return users.user_create(username="boss", password="x" * 12, by=None, role=role)


@pytest.fixture
def catalogue(tmp_path, place):
    movies, shows = tmp_path / "movies", tmp_path / "shows"
    place(movies, "Heat (1995)/Heat (1995).mkv")
    place(movies, "Heat (1995)/movie.nfo", content=MOVIE_NFO)
    place(movies, "Ronin (1998)/Ronin (1998).mkv")
    place(shows, "Kind Show/Season 01/Kind Show - S01E01.mkv")
    for root, kind in ((movies, "movies"), (shows, "shows")):
        library = library_services.library_create(name=kind, kind=kind, paths=[str(root)])
        scanning.scan_run(scan=scanning.scan_begin(library=library))
    return tmp_path


def form_data(response) -> dict:
    """What the admin's change page would post back unchanged: the main form and its inlines."""
    data = {}
    form = response.context["adminform"].form
    for name in form.fields:
        value = form[name].value()
        if isinstance(value, list | tuple):
            data[name] = [str(v) for v in value]
        else:
            data[name] = "" if value is None else value
    for inline in response.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        for name in management.fields:
            data[f"{management.prefix}-{name}"] = management[name].value()
        for sub in inline.formset.forms:
            for name in sub.fields:
                value = sub[name].value()
                data[f"{sub.prefix}-{name}"] = "" if value is None else value
    return data


def test_a_certification_saved_in_the_admin_sets_the_age(client, admin, catalogue, django_capture_on_commit_callbacks):
    heat = Movie.objects.get(title="Heat")
    assert (heat.certification, heat.age_rating) == ("PG", 10)
    client.force_login(admin)
    url = f"/admin/media/movie/{heat.pk}/change/"
    data = form_data(client.get(url))
    before = caching.version(caching.library(heat.library_id))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {**data, "certification": "R"})
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response
    heat.refresh_from_db()
    assert (heat.certification, heat.age_rating) == ("R", 17)
    assert caching.version(caching.library(heat.library_id)) > before
    entry = Activity.objects.get(event="catalogue_changed")
    assert entry.actor == admin and entry.object_pk == str(heat.pk)
    assert entry.additional_data == {"kind": "movie", "fields": ["certification", "age_rating"]}
    # The operator's value is theirs now: a metadata refresh leaves it alone (the age follows it, unlocked).
    assert heat.locked_fields == ["certification"]
    kid = users.user_create(username="kid", password="x" * 12, by=None)
    kid_role = roles.role_create(name="kids", rank=15, by=None, max_parental_age=12)
    users.user_update(user=kid, by=None, role=kid_role)
    library_services.library_grants_set(library=heat.library, roles={"kids": ["view_library"]}, users={}, by=None)
    assert not selectors.movies_visible_to(user=kid).filter(pk=heat.pk).exists()
    unrated = client.post(url, {**data, "certification": ""})
    assert unrated.status_code == 302
    heat.refresh_from_db()
    assert heat.age_rating is None


def test_deleting_from_the_admin_is_audited_and_bumps_the_cache(
    client, admin, catalogue, django_capture_on_commit_callbacks
):
    client.force_login(admin)
    heat = Movie.objects.get(title="Heat")
    before = caching.version(caching.library(heat.library_id))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/admin/media/movie/{heat.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Movie.objects.filter(pk=heat.pk).exists()
    assert not MediaFile.objects.filter(path__endswith="Heat (1995).mkv").exists()
    assert caching.version(caching.library(heat.library_id)) > before
    entry = Activity.objects.get(event="catalogue_deleted")
    assert (entry.actor, entry.object_pk, entry.object_repr) == (admin, str(heat.pk), "Heat (1995)")
    assert entry.additional_data == {"kind": "movie", "files": 1}

    show = Show.objects.get()
    ronin_file = MediaFile.objects.get(path__endswith="Ronin (1998).mkv")
    changelist = client.post(
        "/admin/media/show/", {"action": "delete_selected", "_selected_action": [show.pk], "post": "yes"}
    )
    assert changelist.status_code == 302 and not Show.objects.exists()
    client.post(f"/admin/media/mediafile/{ronin_file.pk}/delete/", {"post": "yes"})
    assert not Movie.objects.filter(title="Ronin").exists()  # its last file went: so did the movie
    kinds = sorted(Activity.objects.filter(event="catalogue_deleted").values_list("additional_data__kind", flat=True))
    assert kinds == ["file", "movie", "show"]
    file_entry = Activity.objects.get(event="catalogue_deleted", additional_data__kind="file")
    assert file_entry.additional_data["path"] == ronin_file.path


def test_nothing_is_added_to_the_catalogue_in_the_admin(client, admin, catalogue):
    client.force_login(admin)
    assert client.get("/admin/media/movie/add/").status_code == 403
    assert client.get("/admin/media/mediafile/add/").status_code == 403


def test_editing_a_field_again_locks_it_once_and_bookkeeping_fields_never(client, admin, catalogue):
    ronin = Movie.objects.get(title="Ronin")
    client.force_login(admin)
    url = f"/admin/media/movie/{ronin.pk}/change/"
    for overview in ("A heist.", "A heist in Paris."):
        data = form_data(client.get(url))
        assert client.post(url, {**data, "overview": overview, "title": "Ronin"}).status_code == 302
    ronin.refresh_from_db()
    assert ronin.overview == "A heist in Paris."
    assert ronin.locked_fields == ["overview"]
    page = client.get(url).content.decode()
    # The metadata state is shown, not editable: it cannot be posted back to unlock a field.
    assert 'name="locked_fields"' not in page and 'name="metadata_status"' not in page
