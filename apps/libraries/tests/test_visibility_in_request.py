"""Inside one request, visibility is read once and still follows a grant or a limit changed by that request."""

from __future__ import annotations

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from apps.accounts.selectors import effective_settings
from apps.accounts.services import users
from apps.core.request_memo import RequestMemoMiddleware
from apps.core.testing.people import user_make
from apps.libraries import services
from apps.libraries.selectors import libraries_visible_to

pytestmark = pytest.mark.django_db


def run_in_request(view) -> str:
    return RequestMemoMiddleware(view)(RequestFactory().get("/")).content.decode()


def test_a_grant_taken_away_in_the_request_hides_the_library_at_once(tmp_path):
    library = services.library_create(name="Movies", kind="movies", paths=[str(tmp_path)])
    alice = user_make("alice")

    def view(request):
        before = list(libraries_visible_to(user=alice))
        again = list(libraries_visible_to(user=alice))
        services.library_grants_set(library=library, roles={}, users={}, by=None)
        after = list(libraries_visible_to(user=alice))
        return HttpResponse(f"{len(before)} {len(again)} {len(after)}")

    assert run_in_request(view) == "1 1 0"


def test_a_limit_set_in_the_request_applies_to_the_rest_of_it():
    alice = user_make("alice")

    def view(request):
        before = effective_settings(user=alice).max_parental_age
        users.user_update(user=alice, by=None, settings_overrides={"max_parental_age": 12})
        after = effective_settings(user=alice).max_parental_age
        return HttpResponse(f"{before} {after}")

    assert run_in_request(view) == "None 12"


def test_a_hostile_stored_override_is_still_ignored_when_remembered():
    alice = user_make("alice")
    type(alice).objects.filter(pk=alice.pk).update(settings_overrides={"max_parental_age": "<script>", "x": 1})

    def view(request):
        first, second = effective_settings(user=alice), effective_settings(user=alice)
        return HttpResponse(f"{first.max_parental_age} {second.max_parental_age}")

    assert run_in_request(view) == "None None"
