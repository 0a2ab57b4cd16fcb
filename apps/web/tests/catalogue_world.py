"""The browsing tests' catalogue: real clips scanned with NFOs and posters beside them, a show with stills, people
with stored photos; a member and a kids' account that must never see the R and TV-MA titles."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from apps.accounts.models import User
from apps.core.testing.images import image_bytes
from apps.core.testing.people import kids_role_make, user_make
from apps.libraries import services as library_services
from apps.libraries.models import Library
from apps.media.models import Artwork, Credit, Movie, Person, Show
from apps.metadata.images.fetch import artworks_fetch
from apps.metadata.images.store import image_store
from apps.scanning import services as scanning

MOVIE_NFO = (
    "<movie><title>{title}</title><year>{year}</year><mpaa>{mpaa}</mpaa><runtime>{runtime}</runtime>"
    "<plot>{plot}</plot><tagline>{tagline}</tagline>{genres}</movie>"
)
SHOW_NFO = "<tvshow><title>{title}</title><mpaa>{mpaa}</mpaa><plot>{plot}</plot>{genres}</tvshow>"
MOVIES = [
    # title, year, certification, runtime, genres
    ("Heat", 1995, "R", 170, ["Crime", "Drama"]),
    ("Toy Story", 1995, "G", 81, ["Animation", "Family"]),
    ("Paddington", 2014, "PG", 95, ["Family", "Comedy"]),
    ("10 Things I Hate About You", 1999, "PG", 97, ["Comedy"]),
    ("Zodiac", 2007, "R", 157, ["Crime", "Mystery"]),
]


@dataclass
class Catalogue:
    movies: Library
    shows: Library
    member: User
    kid: User

    def movie(self, title: str) -> Movie:
        return Movie.objects.get(title=title)

    def show(self, title: str) -> Show:
        return Show.objects.get(title=title)


def _genres(names: list[str]) -> str:
    return "".join(f"<genre>{name}</genre>" for name in names)


def _stored_artwork(**owner) -> Artwork:
    """An image as a provider fetch leaves it: bytes in the store, the row pointing at them."""
    stored = image_store(data=image_bytes(300, 450, seed=len(str(owner))))
    return Artwork.objects.create(
        kind=owner.pop("kind"),
        source=Artwork.Source.TMDB,
        path="/p.jpg",
        content_hash=stored.content_hash,
        width=stored.width,
        height=stored.height,
        **owner,
    )


def catalogue_build(place, root: Path) -> Catalogue:
    for n, (title, year, mpaa, runtime, genres) in enumerate(MOVIES):
        folder = f"{title} ({year})"
        place(root / "movies", f"{folder}/{folder}.mkv")
        nfo = MOVIE_NFO.format(
            title=title,
            year=year,
            mpaa=mpaa,
            runtime=runtime,
            plot=f"The story of {title}.",
            tagline=f"{title}: a tagline.",
            genres=_genres(genres),
        )
        place(root / "movies", f"{folder}/{folder}.nfo", content=nfo.encode())
        if title != "Zodiac":  # one without artwork: the placeholder card
            place(root / "movies", f"{folder}/poster.jpg", content=image_bytes(300, 450, seed=n))
    place(root / "movies", "Heat (1995)/fanart.jpg", content=image_bytes(1280, 720, seed=9))
    for show, mpaa, genres in (("Bluey", "TV-Y", ["Animation", "Family"]), ("The Wire", "TV-MA", ["Crime"])):
        nfo = SHOW_NFO.format(title=show, mpaa=mpaa, plot=f"All about {show}.", genres=_genres(genres))
        place(root / "shows", f"{show}/tvshow.nfo", content=nfo.encode())
        place(root / "shows", f"{show}/poster.jpg", content=image_bytes(300, 450, seed=len(show)))
        for number in (1, 2):
            name = f"{show}/Season 01/{show} - S01E0{number}"
            place(root / "shows", f"{name}.mkv")
            place(root / "shows", f"{name}-thumb.jpg", content=image_bytes(640, 360, seed=number))
    kids = kids_role_make(name="kids", max_parental_age=10)
    libraries = []
    for name, kind in (("Movies", "movies"), ("Shows", "shows")):
        library = library_services.library_create(name=name, kind=kind, paths=[str(root / kind)])
        library_services.library_grants_set(
            library=library, roles={"user": ["view_library"], "kids": ["view_library"]}, users={}, by=None
        )
        scanning.scan_run(scan=scanning.scan_begin(library=library))
        artworks_fetch(library=library)
        libraries.append(library)
    pacino = Person.objects.create(name="Al Pacino", biography="An actor.", place_of_birth="New York")
    _stored_artwork(kind=Artwork.Kind.PROFILE, person=pacino)
    Credit.objects.create(person=pacino, movie=Movie.objects.get(title="Heat"), kind="cast", character="Vincent Hanna")
    Credit.objects.create(person=pacino, movie=Movie.objects.get(title="Toy Story"), kind="cast", character="A cameo")
    director = Person.objects.create(name="Michael Mann")
    Credit.objects.create(person=director, movie=Movie.objects.get(title="Heat"), kind="crew", job="Director")
    return Catalogue(
        movies=libraries[0], shows=libraries[1], member=user_make("alice"), kid=user_make("tim", role=kids)
    )
