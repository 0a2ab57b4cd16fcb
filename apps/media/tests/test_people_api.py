"""People over the API: only those credited on titles the user sees, with their credits on those titles only."""

from __future__ import annotations

import pytest

from apps.core.testing.catalogue import hide, movie_make
from apps.core.testing.clients import client_for
from apps.core.testing.people import kids_role_make, user_make
from apps.libraries import services as library_services
from apps.media.models import Credit, Person

pytestmark = pytest.mark.django_db


def names(client, query: str = "") -> list[str]:
    response = client.get(f"/api/v1/people/{query}")
    assert response.status_code == 200, response.content
    return [p["name"] for p in response.json()["results"]]


def test_people_are_listed_searched_and_shown_with_their_credits(world):
    client = client_for(user_make("alice"))
    assert names(client) == ["A Gaffer", "A Writer", "Carrie-Anne Moss", "Keanu Reeves", "Lana Wachowski"]
    assert names(client, "?q=keanu") == ["Keanu Reeves"]
    assert names(client, "?q=nobody") == []
    body = client.get(f"/api/v1/people/{world['keanu'].pk}/").json()
    assert body["biography"] == "Canadian actor."
    assert body["ids"] == {"tmdb": 6384, "imdb": None}
    assert set(body["images"]) == {"profile"}
    parts = [(c["title_type"], c["title"], c["year"], c["character"]) for c in body["credits"]]
    assert parts == [("show", "Lost", 2004, "Himself"), ("movie", "The Matrix", 1999, "Neo")]
    assert set(body["credits"][1]["images"]) == {"poster"}


def test_credits_on_titles_one_cannot_see_are_left_out(world, tmp_path):
    (tmp_path / "secret").mkdir()
    secret = library_services.library_create(name="Secret", kind="movies", paths=[str(tmp_path / "secret")])
    hide(secret)
    hidden = movie_make(library=secret, title="Hidden Film")
    Credit.objects.create(person=world["keanu"], movie=hidden, kind="cast", character="Someone")
    stranger = Person.objects.create(name="Only In Secret")
    Credit.objects.create(person=stranger, movie=hidden, kind="cast")
    client = client_for(user_make("alice"))
    body = client.get(f"/api/v1/people/{world['keanu'].pk}/").json()
    assert "Hidden Film" not in [c["title"] for c in body["credits"]]
    assert client.get(f"/api/v1/people/{stranger.pk}/").status_code == 404
    assert "Only In Secret" not in names(client)
    boss = client_for(user_make("boss", role="admin"))
    assert boss.get(f"/api/v1/people/{stranger.pk}/").status_code == 200


def test_a_parental_limit_hides_people_known_only_from_restricted_titles(world):
    kid = client_for(user_make("kid", role=kids_role_make()))
    boss = user_make("boss", role="admin")
    for library in (world["movies"], world["tv"]):
        grants = {"user": ["view_library"], "kids": ["view_library"]}
        library_services.library_grants_set(library=library, roles=grants, users={}, by=boss)
    assert names(kid) == ["Keanu Reeves"]  # on the unrated show only
    lana = Person.objects.get(name="Lana Wachowski")
    assert kid.get(f"/api/v1/people/{lana.pk}/").status_code == 404
    body = kid.get(f"/api/v1/people/{world['keanu'].pk}/").json()
    assert [c["title"] for c in body["credits"]] == ["Lost"]


@pytest.mark.parametrize("person", ["abc", "-1", "99999999999999999999", "424242", "1.5"])
def test_unknown_or_malformed_people_answer_404(world, person):
    assert client_for(user_make("alice")).get(f"/api/v1/people/{person}/").status_code == 404


def test_people_need_a_signed_in_user(world):
    assert client_for(None).get("/api/v1/people/").status_code in (401, 403)
    assert client_for(None).get(f"/api/v1/people/{world['keanu'].pk}/").status_code in (401, 403)
