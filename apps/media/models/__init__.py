from apps.media.models.duplicates import DuplicateDismissal, DuplicateGroup, DuplicateKind, DuplicateMember
from apps.media.models.files import MediaFile, MediaStream, Subtitle
from apps.media.models.items import (
    Artwork,
    Collection,
    Credit,
    Episode,
    Genre,
    MetadataStatus,
    Movie,
    Person,
    Season,
    Show,
    Studio,
)

__all__ = [
    "Artwork",
    "Collection",
    "Credit",
    "DuplicateDismissal",
    "DuplicateGroup",
    "DuplicateKind",
    "DuplicateMember",
    "Episode",
    "Genre",
    "MediaFile",
    "MediaStream",
    "MetadataStatus",
    "Movie",
    "Person",
    "Season",
    "Show",
    "Studio",
    "Subtitle",
]
