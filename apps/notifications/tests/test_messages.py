"""Message wording: defaults in code, the operator's overrides, and broken overrides that never fail a delivery."""

import logging

import pytest

from apps.core.events import CATALOGUE
from apps.notifications import messages
from apps.notifications.admin import MessageTemplateForm
from apps.notifications.models import MessageTemplate

pytestmark = pytest.mark.django_db


def test_every_event_of_the_catalogue_renders_a_title(settings):
    settings.PUBLIC_URL = "https://media.example.org/"
    for name, entry in CATALOGUE.items():
        payload = dict.fromkeys(entry.payload, 1)
        message = messages.message_render(name, payload)
        assert message.title and "{{" not in message.title + message.body, name


def test_the_default_says_what_happened_and_links_to_it(settings):
    settings.PUBLIC_URL = "https://media.example.org/"
    message = messages.message_render(
        "movie.available", {"movie_id": 7, "library_id": 1, "title": "Heat", "year": 1995}
    )
    assert message.title == "Now available: Heat (1995)"
    assert message.link == "https://media.example.org/api/v1/movies/7/"


def test_no_link_without_a_public_url(settings):
    settings.PUBLIC_URL = ""
    assert messages.message_render("movie.added", {"movie_id": 7, "title": "Heat"}).link == ""


def test_text_is_not_html_escaped():
    message = messages.message_render("request.declined", {"title": "Tom & Jerry <3", "reason": "'no'"})
    assert message.title == "Request declined: Tom & Jerry <3" and "'no'" in message.body


def test_an_override_changes_only_the_parts_it_has():
    MessageTemplate.objects.create(event="movie.added", title="🎬 {{ title|upper }} is in")
    message = messages.message_render("movie.added", {"movie_id": 1, "title": "Heat", "year": 1995})
    assert message.title == "🎬 HEAT is in"
    assert message.body == "Heat (1995) was added."


def test_a_broken_override_falls_back_to_the_default_with_a_warning(caplog):
    MessageTemplate.objects.create(event="movie.added", title="{% if %}", body="{{ title|no_such_filter }}")
    with caplog.at_level(logging.WARNING, logger="apps.notifications.messages"):
        message = messages.message_render("movie.added", {"movie_id": 1, "title": "Heat", "year": None})
    assert message.title == "New movie: Heat" and message.body == "Heat was added."
    assert len([r for r in caplog.records if "is broken, using the default" in r.getMessage()]) == 2


def test_unknown_events_get_a_generic_message():
    message = messages.message_render("digest", {"frequency": "daily", "movies": [], "episodes": [], "movie_count": 0})
    assert message.title.startswith("Your daily digest")


def test_the_admin_refuses_a_template_that_does_not_compile():
    form = MessageTemplateForm(
        data={"event": "movie.added", "title": "{% for %}", "body": "", "link": "", "poster": ""}
    )
    assert not form.is_valid()
    assert "does not compile" in form.errors["title"][0]
    good = MessageTemplateForm(
        data={"event": "movie.added", "title": "{{ title }}", "body": "", "link": "", "poster": ""}
    )
    assert good.is_valid(), good.errors
