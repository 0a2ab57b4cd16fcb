"""The catalogue bench/api.py serves: many movies with posters, files and genres, a limited user with a token."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

WORDS_A = [
    "Silent",
    "Broken",
    "Golden",
    "Last",
    "Hidden",
    "Crimson",
    "Frozen",
    "Lost",
    "Burning",
    "Distant",
    "Iron",
    "Hollow",
    "Savage",
    "Quiet",
    "Wild",
]
WORDS_B = [
    "River",
    "Empire",
    "Garden",
    "Horizon",
    "Machine",
    "Kingdom",
    "Signal",
    "Harbor",
    "Shadow",
    "Winter",
    "Orchard",
    "Tide",
    "Engine",
    "Witness",
]
GENRES = [
    "Action",
    "Adventure",
    "Animation",
    "Comedy",
    "Crime",
    "Documentary",
    "Drama",
    "Family",
    "Fantasy",
    "History",
    "Horror",
    "Music",
]
AGES = [None, 0, 6, 12, 12, 16, 18]  # the bench user's limit (16) hides some; unrated ones stay visible
BATCH = 5000


@dataclass
class Seeded:
    token: str
    movie_id: int  # a movie the user sees, with a poster, genres, files and credits
    image_path: str  # its poster at w=342, with the hash in the URL
    items: int
    visible_ids: list[int]  # a sample of the movies the member sees: cold details, one after another
    pages: int  # 50-item pages of the member's movie list


def _movies(library, count: int, rng: random.Random):
    from apps.media.models import Movie

    for i in range(count):
        title = f"{rng.choice(WORDS_A)} {rng.choice(WORDS_B)} {i}"
        yield Movie(
            library=library,
            match_key=f"m{i}",
            title=title,
            sort_title=title.lower(),
            original_title=title,
            year=1950 + i % 75,
            age_rating=AGES[i % len(AGES)],
            certification="",
            overview="A bench movie. " * 8,
            tmdb_id=str(100000 + i),
            has_main_file=True,
        )


def seed(*, scratch: Path, items: int) -> Seeded:
    """`items` movies in one library granted to a member with a parental limit of 16; returns their token."""
    from django.db import transaction

    from apps.accounts.services import tokens, users
    from apps.core.testing.catalogue import hide
    from apps.core.testing.images import image_bytes
    from apps.core.testing.people import user_make
    from apps.libraries import services as libraries
    from apps.libraries.grants import library_grants_set
    from apps.media.images import image_url
    from apps.media.models import Artwork, Credit, Genre, MediaFile, Movie, Person
    from apps.metadata.images.fetch import artworks_fetch
    from apps.playback.models import WatchState

    rng = random.Random(17)  # noqa: S311 - made-up titles, the same every run
    folder = scratch / "movies"
    folder.mkdir(parents=True)
    library = libraries.library_create(name="Movies", kind="movies", paths=[str(folder)])
    hide(library)
    member = user_make("bench-member")
    users.user_update(user=member, by=None, settings_overrides={"max_parental_age": 16})
    boss = user_make("bench-boss", role="admin", password="x" * 12)
    library_grants_set(library=library, roles={}, users={"bench-member": ["view_library"]}, by=boss)
    genres = Genre.objects.bulk_create([Genre(name=name) for name in GENRES])
    through = Movie.genres.through
    with transaction.atomic():
        batch = []
        for movie in _movies(library, items, rng):
            batch.append(movie)
            if len(batch) == BATCH:
                _insert(batch, genres, through, rng)
                batch = []
        if batch:
            _insert(batch, genres, through, rng)

    # The detail's movie: a real poster (fetched into the image store), cast, and a watch state in progress.
    movie = Movie.objects.filter(age_rating=12).order_by("pk").first()
    (folder / "poster.jpg").write_bytes(image_bytes(1000, 1500, seed=1, quality=90))
    Artwork.objects.filter(movie=movie).delete()
    Artwork.objects.create(movie=movie, kind="poster", source="local", path=str(folder / "poster.jpg"))
    assert artworks_fetch(library=library).stored == 1
    people = Person.objects.bulk_create([Person(name=f"Actor {i}") for i in range(12)])
    Credit.objects.bulk_create(
        [Credit(movie=movie, person=p, kind="cast", character=f"Part {i}", order=i) for i, p in enumerate(people)]
    )
    from django.utils import timezone

    now = timezone.now()
    watched = list(Movie.objects.filter(age_rating__lte=16).order_by("-pk").values_list("pk", flat=True)[:30])
    WatchState.objects.bulk_create(
        [
            WatchState(user=member, movie_id=pk, position=600 + i, duration=5400, last_played_at=now - timedelta(i))
            for i, pk in enumerate(watched)
        ]
    )
    assert MediaFile.objects.filter(movie=movie).exists()
    _, key = tokens.api_token_create(user=member, name="bench")
    artwork = Artwork.objects.get(movie=movie, kind="poster")
    from apps.media.selectors import movies_visible_to

    visible = list(movies_visible_to(user=member).values_list("pk", flat=True))
    return Seeded(
        token=key,
        movie_id=movie.pk,
        image_path=image_url(artwork) + "&w=342",
        items=items,
        visible_ids=rng.sample(visible, min(len(visible), 20_000)),
        pages=max(1, len(visible) // 50),
    )


def _insert(batch, genres, through, rng: random.Random) -> None:
    from apps.media.models import Artwork, MediaFile, Movie

    movies = Movie.objects.bulk_create(batch)
    hashes = [f"{rng.getrandbits(256):064x}" for _ in movies]
    Artwork.objects.bulk_create(
        [
            Artwork(movie=m, kind="poster", source="tmdb", path=f"/p{m.pk}.jpg", content_hash=h, width=1000)
            for m, h in zip(movies, hashes, strict=True)
        ]
    )
    MediaFile.objects.bulk_create(
        [
            MediaFile(
                library_id=m.library_id,
                movie=m,
                path=f"/srv/movies/{m.title}/{m.title}.mkv",
                size=4_000_000_000,
                mtime_ns=0,
                container="matroska",
                duration=5400.0,
                probe_status="ok",
            )
            for m in movies
        ]
    )
    through.objects.bulk_create([through(movie_id=m.pk, genre_id=g.pk) for m in movies for g in rng.sample(genres, 2)])
