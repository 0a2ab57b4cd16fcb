from apps.media.models.files import MediaFile, MediaStream, Subtitle
from apps.media.models.items import Artwork, Episode, Genre, Movie, Season, Show, Studio

__all__ = ["Artwork", "Episode", "Genre", "MediaFile", "MediaStream", "Movie", "Season", "Show", "Studio", "Subtitle"]
