"""What a movie's, show's or episode's console page shows above its form: artwork, people, ids, media info.

Everything is read through the media app's selectors as the operator; images are the image API's URLs.
"""

from __future__ import annotations

from django.db.models import Model, Prefetch

from apps.console import humanize
from apps.console.media_info import file_info
from apps.libraries import rules
from apps.media import selectors
from apps.media.api.catalogue_views import movies_with_details, shows_with_details
from apps.media.images import artwork_best, image_url
from apps.media.models import Credit, Episode, MediaFile, Movie, Show
from apps.metadata.tmdb.client import tmdb_enabled

CAST_SHOWN = 12
TMDB_TITLE = "https://www.themoviedb.org/{kind}/{id}"
IMDB_TITLE = "https://www.imdb.com/title/{id}/"


def sized(url: str, width: int) -> str:
    """The image API's URL at one of its widths (it snaps to the next it serves); "" stays ""."""
    return f"{url}&w={width}" if url else ""


def images_of(item: Model) -> dict[str, str]:
    """{type: URL} of the item's best image of each type (prefetched artwork)."""
    return {kind: image_url(artwork) for kind, artwork in artwork_best(item.artwork.all()).items()}


def cast_of(item: Movie | Show) -> list[dict]:
    people = sorted(
        (c for c in item.credits.all() if c.kind == Credit.Kind.CAST), key=lambda credit: (credit.order, credit.pk)
    )
    return [
        {
            "name": credit.person.name,
            "character": credit.character,
            "photo": sized(images_of(credit.person).get("profile", ""), 185),
        }
        for credit in people[:CAST_SHOWN]
    ]


def crew_of(item: Movie | Show) -> list[dict]:
    wanted = ("Director", "Writer", "Screenplay", "Creator")
    return [
        {"name": c.person.name, "job": c.job}
        for c in item.credits.all()
        if c.kind != Credit.Kind.CAST and c.job in wanted
    ]


def ids_of(item: Movie | Show) -> list[dict]:
    """The item's ids with a link to where each is known."""
    kind = "movie" if isinstance(item, Movie) else "tv"
    ids = []
    if item.tmdb_id.isdigit():
        ids.append({"name": "TMDb", "value": item.tmdb_id, "url": TMDB_TITLE.format(kind=kind, id=item.tmdb_id)})
    if item.imdb_id.startswith("tt") and item.imdb_id[2:].isdigit():
        ids.append({"name": "IMDb", "value": item.imdb_id, "url": IMDB_TITLE.format(id=item.imdb_id)})
    if isinstance(item, Show) and item.tvdb_id:
        ids.append({"name": "TVDB", "value": item.tvdb_id, "url": ""})
    return ids


def _title_context(item: Movie | Show, *, user) -> dict:
    images = images_of(item)
    return {
        "item": item,
        "poster": sized(images.get("poster", ""), 342),
        "backdrop": sized(images.get("fanart", ""), 1280),
        "genres": [genre.name for genre in item.genres.all()],
        "cast": cast_of(item),
        "crew": crew_of(item),
        "ids": ids_of(item),
        "manages": rules.may_manage_library(actor=user, library=item.library),
        "lookup_on": tmdb_enabled(),
    }


def movie_page(*, user, movie_id: int) -> dict | None:
    """The movie's page context, or None when the operator cannot see it."""
    movie = movies_with_details(movies=selectors.movies_visible_to(user=user)).filter(pk=movie_id).first()
    if movie is None:
        return None
    files = sorted(movie.files.all(), key=lambda f: (bool(f.extra_type), f.part or 0, f.path))
    return {**_title_context(movie, user=user), "kind": "movie", "files": [file_info(f) for f in files]}


def show_page(*, user, show_id: int) -> dict | None:
    """The show's page context with its seasons and their episodes, or None when the operator cannot see it."""
    show = shows_with_details(shows=selectors.shows_visible_to(user=user)).filter(pk=show_id).first()
    if show is None:
        return None
    durations = MediaFile.objects.order_by("part", "path").only("pk", "episode_id", "duration")
    episodes = (
        selectors.episodes_visible_to(user=user)
        .filter(show=show)
        .prefetch_related(Prefetch("files", queryset=durations))
        .order_by("season__season_number", "episode_number", "pk")
    )
    by_season: dict[int, list[dict]] = {}
    for episode in episodes:
        files = list(episode.files.all())
        by_season.setdefault(episode.season_id, []).append(
            {"episode": episode, "code": episode_code(episode), "duration": files_duration(files), "files": len(files)}
        )
    seasons = [
        {"season": season, "episodes": by_season.get(season.pk, [])}
        for season in sorted(show.seasons.all(), key=lambda s: s.season_number)
    ]
    return {**_title_context(show, user=user), "kind": "show", "seasons": seasons}


def episode_code(episode: Episode) -> str:
    """S01E02 (S01E02-E03 for a file of several), else the air date or the name it was matched by."""
    if episode.episode_number is None:
        return str(episode.air_date or episode.match_key)
    several = episode.episode_end and episode.episode_end != episode.episode_number
    end = f"-E{episode.episode_end:02d}" if several else ""
    return f"S{episode.season.season_number:02d}E{episode.episode_number:02d}{end}"


def files_duration(files: list[MediaFile]) -> str:
    """An episode's running time: its files (parts) added up."""
    total = sum(f.duration or 0 for f in files)
    return humanize.duration(total) if total else humanize.MISSING


def episode_page(*, user, episode_id: int) -> dict | None:
    """The episode's page context: its show, still, and files with their streams."""
    episode = selectors.episodes_visible_to(user=user).filter(pk=episode_id).prefetch_related("artwork").first()
    if episode is None:
        return None
    files = selectors.files_with_details(
        files=selectors.files_visible_to(user=user).filter(episode=episode).order_by("part", "path")
    )
    return {
        "item": episode,
        "kind": "episode",
        "code": episode_code(episode),
        "still": sized(images_of(episode).get("thumb", ""), 500),
        "files": [file_info(f) for f in files],
        "show": episode.show,
    }


def page_of(*, user, item: Model) -> dict | None:
    """The page context of a movie, show or episode."""
    if isinstance(item, Movie):
        return movie_page(user=user, movie_id=item.pk)
    if isinstance(item, Show):
        return show_page(user=user, show_id=item.pk)
    if isinstance(item, Episode):
        return episode_page(user=user, episode_id=item.pk)
    return None
