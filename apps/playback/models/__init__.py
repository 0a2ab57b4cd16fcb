from apps.playback.models.preferences import PlaybackPreference
from apps.playback.models.sessions import PlaybackSession
from apps.playback.models.watch import WatchState

__all__ = ["PlaybackPreference", "PlaybackSession", "WatchState"]
