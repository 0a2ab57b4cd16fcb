"""A library's poster grid: the sort, filter and letter choices as a form, applied through the API's filter sets.

A bad value is told next to its field and left out; the rest of the choices still apply.
"""

from __future__ import annotations

import string

from django import forms
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery

from apps.core import caching
from apps.media.api.catalogue_filters import RESOLUTIONS, MovieFilter, ShowFilter
from apps.media.models import Artwork, Genre, MediaStream
from apps.media.selectors import movies_visible_to, shows_visible_to, visibility_class
from apps.playback.models import WatchState

PAGE_SIZE = 48
LETTERS = ["#", *string.ascii_uppercase]
SORTS = {"title": "Title", "year": "Year", "added": "Date added", "rating": "Rating", "runtime": "Runtime"}
SORT_FIELDS = {
    "title": "sort_title",
    "year": "year",
    "added": "added_at",
    "rating": "vote_average",
    "runtime": "runtime",
}
# Columns that may be empty: their empty values go last either way. The others are NOT NULL and are ordered
# plainly, so a descending title or date sort walks the listing index backwards instead of sorting every title.
NULLABLE_SORTS = {"year", "vote_average", "runtime"}
CHOICES_SECONDS = 600


def _with_any(choices: list[tuple[str, str]], anything: str) -> list[tuple[str, str]]:
    return [("", anything), *choices]


class LibraryBrowseForm(forms.Form):
    """The grid's choices; every field optional, so an empty form is the whole library by title."""

    sort = forms.ChoiceField(choices=list(SORTS.items()), required=False, label="Sort by")
    order = forms.ChoiceField(choices=[("asc", "Ascending"), ("desc", "Descending")], required=False, label="Order")
    genre = forms.ChoiceField(required=False, label="Genre")
    decade = forms.TypedChoiceField(required=False, coerce=int, empty_value=None, label="Decade")
    certification = forms.ChoiceField(required=False, label="Certification")
    watched = forms.ChoiceField(
        choices=[("", "Watched or not"), ("no", "Unwatched"), ("yes", "Watched")], required=False, label="Watched"
    )
    resolution = forms.ChoiceField(choices=_with_any([(r, r) for r in RESOLUTIONS], "Any"), required=False)
    hdr = forms.ChoiceField(choices=_with_any(MediaStream.Hdr.choices, "Any"), required=False, label="Dynamic range")
    letter = forms.ChoiceField(choices=_with_any([(c, c) for c in LETTERS], "All"), required=False)

    def __init__(self, data, *, choices: dict, movies: bool) -> None:
        super().__init__(data)
        self.fields["genre"].choices = _with_any([(g, g) for g in choices["genres"]], "Any genre")
        self.fields["decade"].choices = _with_any([(str(d), f"{d}s") for d in choices["decades"]], "Any decade")
        self.fields["certification"].choices = _with_any([(c, c) for c in choices["certifications"]], "Any")
        if not movies:
            # Files, streams and watched marks belong to a show's episodes: these filters are for movies.
            for name in ("watched", "resolution", "hdr"):
                del self.fields[name]
            self.fields["sort"].choices = [(k, v) for k, v in SORTS.items() if k != "runtime"]

    def choices_used(self) -> dict:
        """The valid, non-empty choices (an invalid field is left out: its error is shown beside it)."""
        data = getattr(self, "cleaned_data", {})
        return {name: value for name, value in data.items() if value not in (None, "")}


def library_titles(*, user, library) -> QuerySet:
    """The visible movies or shows of the library (its kind decides which)."""
    if library.kind == "shows":
        return shows_visible_to(user=user).filter(library=library)
    return movies_visible_to(user=user).filter(library=library)


def filter_choices(*, user, library) -> dict:
    """Genres, decades and certifications present among what the user sees of the library, and how many titles
    that is (the count of the unfiltered grid); cached per class."""
    return caching.cached(
        "web-library-choices",
        (library.pk, visibility_class(user=user)),
        lambda: _choices(library_titles(user=user, library=library)),
        ttl=CHOICES_SECONDS,
        scopes=[caching.ACCESS, caching.library(library.pk)],
    )


def _choices(titles: QuerySet) -> dict:
    # Per genre, the first visible title with it (a scalar subquery with LIMIT 1, which PostgreSQL cannot turn
    # into a join): a dozen index probes that stop at their first hit, instead of joining every visible title.
    first = titles.filter(genres=OuterRef("pk")).order_by().values("pk")[:1]
    genres = Genre.objects.alias(first=Subquery(first)).filter(first__isnull=False)
    # Years, certifications and the total in one pass over the listing index (library, has_main_file, age_rating,
    # year, certification), read without the table, rather than a count and two DISTINCT scans of it.
    # order_by(): the models' default ordering would join the grouping and return every row.
    groups = titles.order_by().values_list("year", "certification").annotate(n=Count("*"))
    years, certifications, count = set(), set(), 0
    for year, certification, n in groups:
        count += n
        if year is not None:
            years.add(year - year % 10)
        if certification:
            certifications.add(certification)
    return {
        "genres": sorted(genres.values_list("name", flat=True)),
        "decades": sorted(years, reverse=True),
        "certifications": sorted(certifications),
        "count": count,
    }


def titles_chosen(*, request, library, used: dict) -> QuerySet:
    """The library's visible titles narrowed and ordered by the form's valid choices, with posters for a page."""
    user = request.user
    titles = library_titles(user=user, library=library)
    movies = library.kind != "shows"
    names = ("genre", "decade", "certification", *(("resolution", "hdr") if movies else ()))
    wanted = {name: used[name] for name in names if name in used}
    if wanted:
        filterset = (MovieFilter if movies else ShowFilter)(data=wanted, queryset=titles, request=request)
        titles = filterset.qs  # the values came from the form's choices: the filter set accepts them
    if movies and "watched" in used:
        seen = Exists(WatchState.objects.filter(user=user, movie=OuterRef("pk"), watched=True))
        titles = titles.filter(seen if used["watched"] == "yes" else ~seen)
    if "letter" in used:
        titles = titles.filter(_letter(used["letter"]))
    field = SORT_FIELDS[used.get("sort", "title")]
    descending = used.get("order") == "desc"
    # Within a decade no year is empty: the plain order is the same order, and one the year index can walk.
    nulls_last = True if field in NULLABLE_SORTS and not (field == "year" and "decade" in wanted) else None
    key = F(field).desc(nulls_last=nulls_last) if descending else F(field).asc(nulls_last=nulls_last)
    posters = Prefetch("artwork", queryset=Artwork.objects.filter(kind=Artwork.Kind.POSTER))
    return titles.order_by(key, "-pk" if descending else "pk").prefetch_related(posters)


def _letter(letter: str) -> Q:
    """Titles under a letter of the alphabet jump; "#" is anything not starting with A to Z."""
    if letter == "#":
        return ~Q(sort_title__iregex=r"^[a-z]")
    return Q(sort_title__istartswith=letter)
