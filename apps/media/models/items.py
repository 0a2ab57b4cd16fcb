"""Catalogue items: movies, shows with seasons and episodes, their genres, studios and artwork."""

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
    genres = models.ManyToManyField(Genre, blank=True, related_name="+")
    studios = models.ManyToManyField(Studio, blank=True, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.title} ({self.year})" if self.year else self.title


class Movie(CatalogueItem):
    edition = models.CharField(max_length=100, blank=True)
    tagline = models.CharField(max_length=500, blank=True)
    runtime = models.PositiveIntegerField(null=True, blank=True, help_text="Minutes.")
    # Kept by the scanner so that lists need no join to files: a movie with only extras is not listed.
    has_main_file = models.BooleanField(default=False)

    class Meta:
        ordering = ["sort_title", "year"]
        constraints = [models.UniqueConstraint(fields=["library", "match_key"], name="unique_movie_per_library")]
        indexes = [models.Index(fields=["library", "has_main_file", "age_rating"], name="movie_listing")]


class Show(CatalogueItem):
    tvdb_id = models.CharField(max_length=32, blank=True, db_index=True)

    class Meta:
        ordering = ["sort_title", "year"]
        constraints = [models.UniqueConstraint(fields=["library", "match_key"], name="unique_show_per_library")]


class Season(models.Model):
    show = models.ForeignKey(Show, on_delete=models.CASCADE, related_name="seasons")
    season_number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200, blank=True)

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
    added_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["show", "season__season_number", "episode_number", "air_date"]
        constraints = [models.UniqueConstraint(fields=["season", "match_key"], name="unique_episode_per_season")]

    def __str__(self) -> str:
        if self.episode_number is not None:
            return f"{self.show} S{self.season.season_number:02d}E{self.episode_number:02d}"
        return f"{self.show} {self.air_date or self.match_key}"


class Artwork(models.Model):
    """An image of a movie, show or season, from a file beside the media."""

    class Kind(models.TextChoices):
        POSTER = "poster"
        FANART = "fanart"
        BANNER = "banner"
        LOGO = "logo"
        THUMB = "thumb"
        CLEARART = "clearart"
        DISC = "disc"
        LANDSCAPE = "landscape"

    kind = models.CharField(max_length=16, choices=Kind.choices)
    path = models.TextField()
    movie = models.ForeignKey(Movie, null=True, blank=True, on_delete=models.CASCADE, related_name="artwork")
    show = models.ForeignKey(Show, null=True, blank=True, on_delete=models.CASCADE, related_name="artwork")
    season = models.ForeignKey(Season, null=True, blank=True, on_delete=models.CASCADE, related_name="artwork")
    episode = models.ForeignKey(Episode, null=True, blank=True, on_delete=models.CASCADE, related_name="artwork")

    class Meta:
        ordering = ["kind", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(movie__isnull=False, show__isnull=True, season__isnull=True, episode__isnull=True)
                    | Q(movie__isnull=True, show__isnull=False, season__isnull=True, episode__isnull=True)
                    | Q(movie__isnull=True, show__isnull=True, season__isnull=False, episode__isnull=True)
                    | Q(movie__isnull=True, show__isnull=True, season__isnull=True, episode__isnull=False)
                ),
                name="artwork_has_one_owner",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.path}"
