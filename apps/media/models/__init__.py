from apps.media.models.duplicates import DuplicateDismissal, DuplicateGroup, DuplicateKind, DuplicateMember
from apps.media.models.files import MediaFile, MediaStream, Subtitle
from apps.media.models.items import Artwork, Episode, Genre, Movie, Season, Show, Studio

__all__ = [
    "Artwork",
    "DuplicateDismissal",
    "DuplicateGroup",
    "DuplicateKind",
    "DuplicateMember",
    "Episode",
    "Genre",
    "MediaFile",
    "MediaStream",
    "Movie",
    "Season",
    "Show",
    "Studio",
    "Subtitle",
]
