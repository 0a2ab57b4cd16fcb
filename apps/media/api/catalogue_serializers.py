"""Catalogue payloads: light list items (ids, certification, poster), full details with people and images."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.libraries.api.path_visibility import may_see_paths
from apps.media.api.image_serializers import IdsField, ImagesField
from apps.media.api.people_serializers import CastSerializer, CrewSerializer, cast_and_crew
from apps.media.models import Episode, MediaFile, MediaStream, Movie, Season, Show, Subtitle


class StreamSerializer(serializers.ModelSerializer):
    class Meta:
        model = MediaStream
        exclude = ["id", "file"]


class SubtitleSerializer(serializers.ModelSerializer):
    class Meta:
        model = Subtitle
        fields = ["id", "language", "forced", "sdh", "default", "format", "title"]


class FileSerializer(serializers.ModelSerializer):
    """A file with its streams; the path on the server is shown to those who manage its library only."""

    streams = StreamSerializer(many=True, read_only=True)
    subtitles = SubtitleSerializer(many=True, read_only=True)
    name = serializers.SerializerMethodField()

    class Meta:
        model = MediaFile
        fields = [
            "id",
            "name",
            "path",
            "library",
            "movie",
            "episode",
            "size",
            "container",
            "duration",
            "bitrate",
            "probe_status",
            "part",
            "version",
            "extra_type",
            "is_3d",
            "added_at",
            "streams",
            "subtitles",
        ]

    def get_name(self, file: MediaFile) -> str:
        return file.path.rsplit("/", 1)[-1]

    def to_representation(self, instance: MediaFile) -> dict:
        data = super().to_representation(instance)
        if not may_see_paths(self.context, instance.library_id):
            data.pop("path")
        return data


class CollectionRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class MetadataStateSerializer(serializers.Serializer):
    """Where the item stands with the metadata provider: for those who manage its library."""

    status = serializers.CharField(source="metadata_status")
    error = serializers.CharField(source="metadata_error")
    score = serializers.FloatField(source="match_score", allow_null=True)
    refreshed_at = serializers.DateTimeField(source="metadata_refreshed_at", allow_null=True)
    retry_at = serializers.DateTimeField(source="metadata_retry_at", allow_null=True)
    nfo_fields = serializers.ListField(child=serializers.CharField())
    locked_fields = serializers.ListField(child=serializers.CharField())


class TitleDetailMixin(serializers.Serializer):
    """What a movie's and a show's detail add: people, every image, and the metadata state for managers."""

    cast = serializers.SerializerMethodField()
    crew = serializers.SerializerMethodField()
    metadata = serializers.SerializerMethodField()

    @extend_schema_field(CastSerializer(many=True))
    def get_cast(self, item) -> list[dict]:
        return CastSerializer(cast_and_crew(item.credits.all())[0], many=True).data

    @extend_schema_field(CrewSerializer(many=True))
    def get_crew(self, item) -> list[dict]:
        return CrewSerializer(cast_and_crew(item.credits.all())[1], many=True).data

    @extend_schema_field(MetadataStateSerializer(allow_null=True))
    def get_metadata(self, item) -> dict | None:
        # Those who manage the library are those who see its paths: decided once per response, from the cache.
        if self.context.get("request") is None or not may_see_paths(self.context, item.library_id):
            return None
        return MetadataStateSerializer(item).data


class MovieSerializer(serializers.ModelSerializer):
    genres = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)
    ids = IdsField()
    images = ImagesField(help_text="The poster (the detail has every type).")

    class Meta:
        model = Movie
        fields = [
            "id",
            "library",
            "title",
            "original_title",
            "sort_title",
            "year",
            "edition",
            "certification",
            "age_rating",
            "runtime",
            "genres",
            "ids",
            "images",
            "added_at",
        ]


class MovieDetailSerializer(TitleDetailMixin, MovieSerializer):
    studios = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)
    collection = CollectionRefSerializer(allow_null=True, read_only=True)
    files = serializers.SerializerMethodField()
    extras = serializers.SerializerMethodField()
    images = ImagesField(help_text="The best image of each type.")

    class Meta(MovieSerializer.Meta):
        fields = [
            *MovieSerializer.Meta.fields,
            "overview",
            "tagline",
            "release_date",
            "vote_average",
            "tmdb_id",
            "imdb_id",
            "studios",
            "collection",
            "cast",
            "crew",
            "metadata",
            "files",
            "extras",
        ]

    def get_files(self, movie: Movie) -> list[dict]:
        files = [f for f in movie.files.all() if not f.extra_type]
        return FileSerializer(files, many=True, context=self.context).data

    def get_extras(self, movie: Movie) -> list[dict]:
        files = [f for f in movie.files.all() if f.extra_type]
        return FileSerializer(files, many=True, context=self.context).data


class SeasonSerializer(serializers.ModelSerializer):
    episode_count = serializers.IntegerField(read_only=True)
    images = ImagesField()

    class Meta:
        model = Season
        fields = ["id", "season_number", "title", "overview", "air_date", "episode_count", "images"]


class ShowSerializer(serializers.ModelSerializer):
    genres = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)
    season_count = serializers.IntegerField(read_only=True)
    episode_count = serializers.IntegerField(read_only=True)
    ids = IdsField()
    images = ImagesField(help_text="The poster (the detail has every type).")

    class Meta:
        model = Show
        fields = [
            "id",
            "library",
            "title",
            "original_title",
            "sort_title",
            "year",
            "certification",
            "age_rating",
            "genres",
            "season_count",
            "episode_count",
            "ids",
            "images",
            "added_at",
        ]


class ShowDetailSerializer(TitleDetailMixin, ShowSerializer):
    studios = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)
    networks = serializers.SlugRelatedField(source="studios", slug_field="name", many=True, read_only=True)
    seasons = SeasonSerializer(many=True, read_only=True)
    images = ImagesField(help_text="The best image of each type.")

    class Meta(ShowSerializer.Meta):
        fields = [
            *ShowSerializer.Meta.fields,
            "overview",
            "tagline",
            "release_date",
            "vote_average",
            "tmdb_id",
            "imdb_id",
            "tvdb_id",
            "studios",
            "networks",
            "cast",
            "crew",
            "metadata",
            "seasons",
        ]


class EpisodeSerializer(serializers.ModelSerializer):
    season_number = serializers.IntegerField(source="season.season_number", read_only=True)
    show_title = serializers.CharField(source="show.title", read_only=True)
    files = FileSerializer(many=True, read_only=True)
    images = ImagesField(help_text="The still (`thumb`) and any other image of the episode.")

    class Meta:
        model = Episode
        fields = [
            "id",
            "show",
            "show_title",
            "season_number",
            "episode_number",
            "episode_end",
            "absolute_number",
            "air_date",
            "title",
            "overview",
            "runtime",
            "vote_average",
            "tmdb_id",
            "images",
            "added_at",
            "files",
        ]
