"""A TMDb movie details answer (with credits, release_dates, external_ids, images appended) as our fields."""

from __future__ import annotations

from apps.metadata import values as v


def movie_values(details: dict, *, country: str, language: str) -> v.Filled:
    """What the answer says of the movie; anything missing or malformed is simply left out."""
    release = v.day(details.get("release_date"))
    fields = {
        "tmdb_id": v.tmdb_id(details.get("id")),
        "imdb_id": v.imdb_id(details.get("imdb_id")) or v.imdb_id(v.part(details, "external_ids").get("imdb_id")),
        "title": v.text(details.get("title")),
        "original_title": v.text(details.get("original_title")),
        "overview": v.text(details.get("overview"), 20_000),
        "tagline": v.text(details.get("tagline")),
        "release_date": release,
        "year": release.year if release else None,
        "runtime": v.integer(details.get("runtime"), low=1, high=100_000),
        "vote_average": v.number(details.get("vote_average")),
        "certification": v.movie_certification(details, country),
    }
    collection = v.part(details, "belongs_to_collection")
    collection_id, collection_name = v.tmdb_id(collection.get("id")), v.text(collection.get("name"), 300)
    artwork = {
        "poster": v.best_image(details, "posters", "poster_path", language),
        "fanart": v.image_path(details.get("backdrop_path")) or v.best_image(details, "backdrops", "", language),
        "logo": v.best_image(details, "logos", "", language),
    }
    return v.Filled(
        fields={name: value for name, value in fields.items() if value not in ("", None)},
        genres=v.genres(v.items(details, "genres")),
        studios=v.names(v.items(details, "production_companies")),
        collection=(collection_id, collection_name) if collection_id and collection_name else None,
        credits=v.credits(details),
        artwork={kind: path for kind, path in artwork.items() if path},
    )
