"""Catalogue items: movies, shows with seasons and episodes, their genres, studios, collections, people and artwork."""

from __future__ import annotations

from django.db import models
from django.db.models import Q


class Genre(models.Model):
    name = models.CharField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Studio(models.Model):
    name = models.CharField(max_length=200, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Collection(models.Model):
    """A movie set ("The Matrix Collection"), from TMDb or an NFO."""

    name = models.CharField(max_length=300)
    tmdb_id = models.CharField(max_length=32, blank=True, db_index=True)
    overview = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["tmdb_id"], condition=~Q(tmdb_id=""), name="unique_collection_tmdb_id")
        ]

    def __str__(self) -> str:
        return self.name


class MetadataStatus(models.TextChoices):
    """Where an item stands with the metadata provider."""

    PENDING = "pending", "Not looked up yet"
    MATCHED = "matched", "Matched"
    UNMATCHED = "unmatched", "No confident match"
    FAILED = "failed", "Lookup failed, will retry"


class CatalogueItem(models.Model):
    """Fields shared by movies and shows; `match_key` is the natural key the scanner upserts on."""

    library = models.ForeignKey("libraries.Library", on_delete=models.CASCADE)
    match_key = models.CharField(max_length=600)
    title = models.CharField(max_length=500)
    original_title = models.CharField(max_length=500, blank=True)
    sort_title = models.CharField(max_length=500, blank=True, db_index=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True, db_index=True)
    overview = models.TextField(blank=True)
    certification = models.CharField(max_length=32, blank=True)
    age_rating = models.PositiveSmallIntegerField(
        null=True, blank=True, db_index=True, help_text="Minimum age from the certification; empty when unrated."
    )
    tmdb_id = models.CharField(max_length=32, blank=True, db_index=True)
    imdb_id = models.CharField(max_length=32, blank=True, db_index=True)
    tagline = models.CharField(max_length=500, blank=True)
    release_date = models.DateField(null=True, blank=True, help_text="Release (movies) or first air date (shows).")
    vote_average = models.FloatField(null=True, blank=True)
    genres = models.ManyToManyField(Genre, blank=True, related_name="+")
    studios = models.ManyToManyField(Studio, blank=True, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Which fields an NFO set (NFO wins over the provider) and which an operator set or matched by hand (a refresh
    # never overwrites those; "tmdb_id" locked means the match itself was chosen by a person).
    nfo_fields = models.JSONField(default=list, blank=True)
    locked_fields = models.JSONField(default=list, blank=True)
    metadata_status = models.CharField(
        max_length=16, choices=MetadataStatus.choices, default=MetadataStatus.PENDING, db_index=True
    )
    metadata_error = models.CharField(max_length=300, blank=True)
    match_score = models.FloatField(null=True, blank=True, help_text="Confidence of the automatic match, 0 to 1.")
    metadata_refreshed_at = models.DateTimeField(null=True, blank=True)
    metadata_retry_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.title} ({self.year})" if self.year else self.title


class Movie(CatalogueItem):
    edition = models.CharField(max_length=100, blank=True)
    collection = models.ForeignKey(Collection, null=True, blank=True, on_delete=models.SET_NULL, related_name="movies")
    runtime = models.PositiveIntegerField(null=True, blank=True, help_text="Minutes.")
    # Kept by the scanner so that lists need no join to files: a movie with only extras is not listed.
    has_main_file = models.BooleanField(default=False)

    class Meta:
        ordering = ["sort_title", "year"]
        constraints = [models.UniqueConstraint(fields=["library", "match_key"], name="unique_movie_per_library")]
        # The web grid reads these without the table (index-only): the visibility columns (library, has_main_file,
        # age_rating) lead, so the count and the year and certification choices are one index scan, and a deep
        # page skips its titles in the index of its sort (apps/web/library_pager.py).
        indexes = [
            models.Index(
                fields=["library", "has_main_file", "age_rating", "year", "certification"], name="movie_facets"
            ),
            models.Index(fields=["library", "sort_title", "id", "has_main_file", "age_rating"], name="movie_by_title"),
            # The API's default order (sort title, year): a deep page of /api/v1/movies/ skips its titles here.
            models.Index(
                fields=["library", "sort_title", "year", "id", "has_main_file", "age_rating"],
                name="movie_by_title_year",
            ),
            models.Index(fields=["library", "added_at", "id", "has_main_file", "age_rating"], name="movie_by_added"),
            models.Index(fields=["library", "year", "id", "has_main_file", "age_rating"], name="movie_by_year"),
        ]


class Show(CatalogueItem):
    tvdb_id = models.CharField(max_length=32, blank=True, db_index=True)

    class Meta:
        ordering = ["sort_title", "year"]
        constraints = [models.UniqueConstraint(fields=["library", "match_key"], name="unique_show_per_library")]
        indexes = [  # as Movie's (no has_main_file: a show lists whatever episodes it has)
            models.Index(fields=["library", "age_rating", "year", "certification"], name="show_facets"),
            models.Index(fields=["library", "sort_title", "id", "age_rating"], name="show_by_title"),
            models.Index(fields=["library", "sort_title", "year", "id", "age_rating"], name="show_by_title_year"),
            models.Index(fields=["library", "added_at", "id", "age_rating"], name="show_by_added"),
            models.Index(fields=["library", "year", "id", "age_rating"], name="show_by_year"),
        ]


class Season(models.Model):
    show = models.ForeignKey(Show, on_delete=models.CASCADE, related_name="seasons")
    season_number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200, blank=True)
    overview = models.TextField(blank=True)
    air_date = models.DateField(null=True, blank=True)
    tmdb_id = models.CharField(max_length=32, blank=True)

    class Meta:
        ordering = ["show", "season_number"]
        constraints = [models.UniqueConstraint(fields=["show", "season_number"], name="unique_season")]

    def __str__(self) -> str:
        return f"{self.show} season {self.season_number}"


class Episode(models.Model):
    """An episode, or several in one file (`episode_end`), or a date-based one (`air_date`)."""

    show = models.ForeignKey(Show, on_delete=models.CASCADE, related_name="episodes")
    season = models.ForeignKey(Season, on_delete=models.CASCADE, related_name="episodes")
    match_key = models.CharField(max_length=64)
    episode_number = models.PositiveIntegerField(null=True, blank=True)
    episode_end = models.PositiveIntegerField(null=True, blank=True)
    absolute_number = models.PositiveIntegerField(null=True, blank=True)
    air_date = models.DateField(null=True, blank=True)
    title = models.CharField(max_length=500, blank=True)
    overview = models.TextField(blank=True)
    runtime = models.PositiveIntegerField(null=True, blank=True, help_text="Minutes.")
    tmdb_id = models.CharField(max_length=32, blank=True)
    vote_average = models.FloatField(null=True, blank=True)
    # Fields an NFO or an operator set: provider refreshes leave them alone.
    nfo_fields = models.JSONField(default=list, blank=True)
    locked_fields = models.JSONField(default=list, blank=True)
    added_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["show", "season__season_number", "episode_number", "air_date"]
        constraints = [models.UniqueConstraint(fields=["season", "match_key"], name="unique_episode_per_season")]

    def __str__(self) -> str:
        if self.episode_number is not None:
            return f"{self.show} S{self.season.season_number:02d}E{self.episode_number:02d}"
        return f"{self.show} {self.air_date or self.match_key}"


class Person(models.Model):
    """An actor or crew member; one row per TMDb person, shared by every title they are credited on."""

    name = models.CharField(max_length=300)
    tmdb_id = models.CharField(max_length=32, blank=True)
    imdb_id = models.CharField(max_length=32, blank=True)
    biography = models.TextField(blank=True)
    birthday = models.DateField(null=True, blank=True)
    place_of_birth = models.CharField(max_length=300, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["tmdb_id"], condition=~Q(tmdb_id=""), name="unique_person_tmdb_id")
        ]

    def __str__(self) -> str:
        return self.name


class Credit(models.Model):
    """A person's part in a movie or show: a cast role (character, billing order) or a crew job."""

    class Kind(models.TextChoices):
        CAST = "cast"
        CREW = "crew"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="credits")
    movie = models.ForeignKey(Movie, null=True, blank=True, on_delete=models.CASCADE, related_name="credits")
    show = models.ForeignKey(Show, null=True, blank=True, on_delete=models.CASCADE, related_name="credits")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    character = models.CharField(max_length=500, blank=True)
    job = models.CharField(max_length=100, blank=True, help_text="Director, Writer, …; empty for cast.")
    department = models.CharField(max_length=100, blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["kind", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(movie__isnull=False, show__isnull=True) | Q(movie__isnull=True, show__isnull=False),
                name="credit_has_one_title",
            )
        ]
        indexes = [models.Index(fields=["person", "kind"])]

    def __str__(self) -> str:
        return f"{self.person}: {self.character or self.job}"


class Artwork(models.Model):
    """An image of a movie, show, season, episode or person: a file beside the media, or one the provider has.

    Image bytes live once in the data dir under their SHA-256 (`content_hash`); `error` says why an image was refused.
    """

    class Source(models.TextChoices):
        LOCAL = "local"
        TMDB = "tmdb"

    class Kind(models.TextChoices):
        POSTER = "poster"
        FANART = "fanart"
        BANNER = "banner"
        LOGO = "logo"
        THUMB = "thumb"
        CLEARART = "clearart"
        DISC = "disc"
        LANDSCAPE = "landscape"
        PROFILE = "profile"

    kind = models.CharField(max_length=16, choices=Kind.choices)
    source = models.CharField(max_length=8, choices=Source.choices, default=Source.LOCAL)
    path = models.TextField(help_text="The file beside the media, or the provider's image path.")
    content_hash = models.CharField(max_length=64, blank=True, db_index=True)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    blurhash = models.CharField(max_length=100, blank=True)
    error = models.CharField(max_length=300, blank=True)
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.CASCADE, related_name="artwork")
    movie = models.ForeignKey(Movie, null=True, blank=True, on_delete=models.CASCADE, related_name="artwork")
    show = models.ForeignKey(Show, null=True, blank=True, on_delete=models.CASCADE, related_name="artwork")
    season = models.ForeignKey(Season, null=True, blank=True, on_delete=models.CASCADE, related_name="artwork")
    episode = models.ForeignKey(Episode, null=True, blank=True, on_delete=models.CASCADE, related_name="artwork")

    class Meta:
        ordering = ["kind", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        movie__isnull=False,
                        show__isnull=True,
                        season__isnull=True,
                        episode__isnull=True,
                        person__isnull=True,
                    )
                    | Q(
                        movie__isnull=True,
                        show__isnull=False,
                        season__isnull=True,
                        episode__isnull=True,
                        person__isnull=True,
                    )
                    | Q(
                        movie__isnull=True,
                        show__isnull=True,
                        season__isnull=False,
                        episode__isnull=True,
                        person__isnull=True,
                    )
                    | Q(
                        movie__isnull=True,
                        show__isnull=True,
                        season__isnull=True,
                        episode__isnull=False,
                        person__isnull=True,
                    )
                    | Q(
                        movie__isnull=True,
                        show__isnull=True,
                        season__isnull=True,
                        episode__isnull=True,
                        person__isnull=False,
                    )
                ),
                name="artwork_has_one_owner",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.path}"
