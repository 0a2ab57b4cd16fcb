from rest_framework import serializers

from apps.libraries.api.path_visibility import may_see_paths
from apps.media.models import Artwork, Episode, MediaFile, MediaStream, Movie, Season, Show, Subtitle


class StreamSerializer(serializers.ModelSerializer):
    class Meta:
        model = MediaStream
        exclude = ["id", "file"]


class SubtitleSerializer(serializers.ModelSerializer):
    class Meta:
        model = Subtitle
        fields = ["id", "language", "forced", "sdh", "default", "format", "title"]


class ArtworkSerializer(serializers.ModelSerializer):
    class Meta:
        model = Artwork
        fields = ["id", "kind"]


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


class MovieSerializer(serializers.ModelSerializer):
    genres = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)

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
            "runtime",
            "genres",
            "added_at",
        ]


class MovieDetailSerializer(MovieSerializer):
    studios = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)
    files = serializers.SerializerMethodField()
    extras = serializers.SerializerMethodField()
    artwork = ArtworkSerializer(many=True, read_only=True)

    class Meta(MovieSerializer.Meta):
        fields = [
            *MovieSerializer.Meta.fields,
            "overview",
            "tagline",
            "tmdb_id",
            "imdb_id",
            "studios",
            "files",
            "extras",
            "artwork",
        ]

    def get_files(self, movie: Movie) -> list[dict]:
        files = [f for f in movie.files.all() if not f.extra_type]
        return FileSerializer(files, many=True, context=self.context).data

    def get_extras(self, movie: Movie) -> list[dict]:
        files = [f for f in movie.files.all() if f.extra_type]
        return FileSerializer(files, many=True, context=self.context).data


class SeasonSerializer(serializers.ModelSerializer):
    episode_count = serializers.IntegerField(read_only=True)
    artwork = ArtworkSerializer(many=True, read_only=True)

    class Meta:
        model = Season
        fields = ["id", "season_number", "title", "episode_count", "artwork"]


class ShowSerializer(serializers.ModelSerializer):
    genres = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)
    season_count = serializers.IntegerField(read_only=True)
    episode_count = serializers.IntegerField(read_only=True)

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
            "genres",
            "season_count",
            "episode_count",
            "added_at",
        ]


class ShowDetailSerializer(ShowSerializer):
    studios = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)
    seasons = SeasonSerializer(many=True, read_only=True)
    artwork = ArtworkSerializer(many=True, read_only=True)

    class Meta(ShowSerializer.Meta):
        fields = [
            *ShowSerializer.Meta.fields,
            "overview",
            "tmdb_id",
            "imdb_id",
            "tvdb_id",
            "studios",
            "seasons",
            "artwork",
        ]


class EpisodeSerializer(serializers.ModelSerializer):
    season_number = serializers.IntegerField(source="season.season_number", read_only=True)
    show_title = serializers.CharField(source="show.title", read_only=True)
    files = FileSerializer(many=True, read_only=True)

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
            "added_at",
            "files",
        ]
