"""The JSON shapes TMDb v3 answers with, for the stand-in (apps/core/testing/tmdb.py): lists, results, credits."""

from __future__ import annotations

IMAGE_CONFIGURATION = {
    "backdrop_sizes": ["w300", "w780", "w1280", "original"],
    "logo_sizes": ["w45", "w92", "w154", "w185", "w300", "w500", "original"],
    "poster_sizes": ["w92", "w154", "w185", "w342", "w500", "w780", "original"],
    "profile_sizes": ["w45", "w185", "h632", "original"],
    "still_sizes": ["w92", "w185", "w300", "original"],
}
MOVIE_GENRES = [
    {"id": number, "name": name}
    for number, name in [
        (28, "Action"), (12, "Adventure"), (16, "Animation"), (35, "Comedy"), (80, "Crime"), (99, "Documentary"),
        (18, "Drama"), (10751, "Family"), (14, "Fantasy"), (36, "History"), (27, "Horror"), (10402, "Music"),
        (9648, "Mystery"), (10749, "Romance"), (878, "Science Fiction"), (10770, "TV Movie"), (53, "Thriller"),
        (10752, "War"), (37, "Western"),
    ]
]  # fmt: skip
TV_GENRES = [
    {"id": number, "name": name}
    for number, name in [
        (10759, "Action & Adventure"), (16, "Animation"), (35, "Comedy"), (80, "Crime"), (99, "Documentary"),
        (18, "Drama"), (10751, "Family"), (10762, "Kids"), (9648, "Mystery"), (10763, "News"), (10764, "Reality"),
        (10765, "Sci-Fi & Fantasy"), (10766, "Soap"), (10767, "Talk"), (10768, "War & Politics"), (37, "Western"),
    ]
]  # fmt: skip


def image_list(file_path: str | None, language: str | None, width: int, height: int) -> list[dict]:
    """The images of one kind as the `images` part lists them: one, or none without a path."""
    if not file_path:
        return []
    return [
        {
            "aspect_ratio": round(width / height, 3),
            "height": height,
            "iso_639_1": language,
            "file_path": file_path,
            "vote_average": 5.5,
            "vote_count": 3,
            "width": width,
        }
    ]


def _person(person: dict) -> dict:
    return {
        "adult": False,
        "gender": person.get("gender", 0),
        "id": person["id"],
        "known_for_department": person.get("known_for_department", "Acting"),
        "name": person["name"],
        "original_name": person["name"],
        "popularity": person.get("popularity", 1.0),
        "profile_path": person.get("profile_path"),
    }


def credits(owner: int, cast: list[tuple], crew: list[tuple], people: dict[int, dict]) -> dict:
    """`cast` holds (person id, name, character), `crew` (person id, name, job, department)."""
    return {
        "id": owner,
        "cast": [
            {
                **_person(people[pid]),
                "cast_id": n,
                "character": character,
                "credit_id": f"c{owner}x{pid}a{n}",
                "order": n,
            }
            for n, (pid, _name, character) in enumerate(cast)
        ],
        "crew": [
            {**_person(people[pid]), "credit_id": f"c{owner}x{pid}j{n}", "department": department, "job": job}
            for n, (pid, _name, job, department) in enumerate(crew)
        ],
    }


def episode_shape(show: int, season: int, number: int, id: int, first_air_date: str | None, fields: dict) -> dict:
    episode = {
        "air_date": first_air_date,
        "crew": [],
        "episode_number": number,
        "episode_type": "standard",
        "guest_stars": [],
        "id": id,
        "name": f"Episode {number}",
        "overview": "",
        "production_code": "",
        "runtime": 45,
        "season_number": season,
        "show_id": show,
        "still_path": None,
        "vote_average": 7.0,
        "vote_count": 10,
    }
    episode.update(fields)
    return episode


def movie_result(movie: dict) -> dict:
    """A film as search and find list it."""
    return {
        "adult": False,
        "backdrop_path": movie["backdrop_path"],
        "genre_ids": [genre["id"] for genre in movie["genres"]],
        "id": movie["id"],
        "original_language": movie["original_language"],
        "original_title": movie["original_title"],
        "overview": movie["overview"],
        "popularity": movie["popularity"],
        "poster_path": movie["poster_path"],
        "release_date": movie["release_date"],
        "title": movie["title"],
        "video": False,
        "vote_average": movie["vote_average"],
        "vote_count": movie["vote_count"],
    }


def tv_result(show: dict) -> dict:
    """A series as search and find list it."""
    return {
        "adult": False,
        "backdrop_path": show["backdrop_path"],
        "first_air_date": show["first_air_date"],
        "genre_ids": [genre["id"] for genre in show["genres"]],
        "id": show["id"],
        "name": show["name"],
        "origin_country": show["origin_country"],
        "original_language": show["original_language"],
        "original_name": show["original_name"],
        "overview": show["overview"],
        "popularity": show["popularity"],
        "poster_path": show["poster_path"],
        "vote_average": show["vote_average"],
        "vote_count": show["vote_count"],
    }
