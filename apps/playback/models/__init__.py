from apps.playback.models.sessions import PlaybackSession
from apps.playback.models.watch import WatchState

__all__ = ["PlaybackSession", "WatchState"]
