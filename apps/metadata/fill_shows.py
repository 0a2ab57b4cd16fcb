"""TMDb TV answers as our fields: the series (credits, content_ratings, external_ids, images appended), its
seasons and their episodes, and where an absolute episode number falls among the seasons."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from apps.metadata import values as v


def show_values(details: dict, *, country: str, language: str) -> v.Filled:
    first_aired = v.day(details.get("first_air_date"))
    external = v.part(details, "external_ids")
    fields = {
        "tmdb_id": v.tmdb_id(details.get("id")),
        "imdb_id": v.imdb_id(external.get("imdb_id")),
        "tvdb_id": v.tmdb_id(external.get("tvdb_id")),
        "title": v.text(details.get("name")),
        "original_title": v.text(details.get("original_name")),
        "overview": v.text(details.get("overview"), 20_000),
        "tagline": v.text(details.get("tagline")),
        "release_date": first_aired,
        "year": first_aired.year if first_aired else None,
        "vote_average": v.number(details.get("vote_average")),
        "certification": v.show_certification(details, country),
    }
    artwork = {
        "poster": v.best_image(details, "posters", "poster_path", language),
        "fanart": v.image_path(details.get("backdrop_path")) or v.best_image(details, "backdrops", "", language),
        "logo": v.best_image(details, "logos", "", language),
    }
    networks = v.names(v.items(details, "networks")) or v.names(v.items(details, "production_companies"))
    return v.Filled(
        fields={name: value for name, value in fields.items() if value not in ("", None)},
        genres=v.genres(v.items(details, "genres")),
        studios=networks,
        credits=v.credits(details),
        artwork={kind: path for kind, path in artwork.items() if path},
    )


def season_counts(details: dict) -> dict[int, int]:
    """{season number: episode count} from the series answer (season 0 is the specials)."""
    counts: dict[int, int] = {}
    for season in v.items(details, "seasons"):
        number, count = v.integer(season.get("season_number"), high=10_000), v.integer(season.get("episode_count"))
        if number is not None:
            counts[number] = count or 0
    return counts


def absolute_position(counts: dict[int, int], absolute: int) -> tuple[int, int] | None:
    """(season, episode) of the absolute episode number, counting the regular seasons in order (anime numbering)."""
    if absolute < 1:
        return None
    remaining = absolute
    for number in sorted(n for n in counts if n > 0):
        if remaining <= counts[number]:
            return number, remaining
        remaining -= counts[number]
    return None


@dataclass(slots=True)
class SeasonValues:
    fields: dict = field(default_factory=dict)  # title, overview, air_date, tmdb_id
    poster: str = ""
    episodes: dict[int, dict] = field(default_factory=dict)  # episode number → fields, with "still" as artwork


def season_values(details: dict) -> SeasonValues:
    """A season answer (with its episodes) as our fields."""
    fields = {
        "title": v.text(details.get("name"), 200),
        "overview": v.text(details.get("overview"), 20_000),
        "air_date": v.day(details.get("air_date")),
        "tmdb_id": v.tmdb_id(details.get("id")),
    }
    found = SeasonValues(fields={k: value for k, value in fields.items() if value not in ("", None)})
    found.poster = v.image_path(details.get("poster_path"))
    for episode in v.items(details, "episodes"):
        number = v.integer(episode.get("episode_number"), high=100_000)
        if number is None or number in found.episodes:
            continue
        values: dict[str, str | int | float | date | None] = {
            "title": v.text(episode.get("name")),
            "overview": v.text(episode.get("overview"), 20_000),
            "air_date": v.day(episode.get("air_date")),
            "runtime": v.integer(episode.get("runtime"), low=1, high=100_000),
            "vote_average": v.number(episode.get("vote_average")),
            "tmdb_id": v.tmdb_id(episode.get("id")),
            "still": v.image_path(episode.get("still_path")),
        }
        found.episodes[number] = {k: value for k, value in values.items() if value not in ("", None)}
    return found
