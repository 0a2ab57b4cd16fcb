"""Fields shared by catalogue and people payloads: images by type, and the provider ids of an item."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.media.images import images_payload


class ImageSerializer(serializers.Serializer):
    url = serializers.CharField(help_text="Served by /api/v1/images/; the `v` parameter changes with the bytes.")
    width = serializers.IntegerField(allow_null=True)
    height = serializers.IntegerField(allow_null=True)
    blurhash = serializers.CharField(help_text="A tiny placeholder to show while the image loads; may be empty.")


@extend_schema_field(serializers.DictField(child=ImageSerializer(), help_text="The best image of each type."))
class ImagesField(serializers.Field):
    """{type: {url, width, height, blurhash}} from the owner's artwork, which the view prefetches."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("source", "artwork")
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, artwork) -> dict[str, dict]:
        return images_payload(artwork.all())


def provider_number(value: str) -> int | None:
    """A provider id stored as text (an NFO may hold anything) as a number; None unless it is a plain number."""
    return int(value) if value and value.isascii() and value.isdigit() and len(value) < 12 else None


def provider_ids(*, tmdb_id: str, imdb_id: str, tvdb_id: str | None = None) -> dict:
    """IdsField's payload from an item's columns (a movie has no tvdb id): for payloads built from value rows."""
    return {"tmdb": provider_number(tmdb_id), "imdb": imdb_id or None, "tvdb": provider_number(tvdb_id or "")}


class IdsSerializer(serializers.Serializer):
    tmdb = serializers.SerializerMethodField()
    imdb = serializers.SerializerMethodField()
    tvdb = serializers.SerializerMethodField()

    def get_tmdb(self, item) -> int | None:
        return provider_number(item.tmdb_id)

    def get_imdb(self, item) -> str | None:
        return getattr(item, "imdb_id", "") or None

    def get_tvdb(self, item) -> int | None:
        return provider_number(getattr(item, "tvdb_id", ""))


class IdsField(IdsSerializer):
    """The item's ids at TMDb, IMDb and TheTVDB (null when unknown)."""

    def __init__(self, **kwargs) -> None:
        super().__init__(source="*", read_only=True, **kwargs)
