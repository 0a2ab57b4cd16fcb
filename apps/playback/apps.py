from django.apps import AppConfig


class PlaybackConfig(AppConfig):
    name = "apps.playback"
    label = "playback"
    verbose_name = "Playback"

    def ready(self) -> None:
        # Imported here, not at the top: it imports models, which exist only once the app registry is ready.
        from apps.core.metrics import register_state_collector
        from apps.playback import signals, subscribers  # noqa: F401 - cache invalidation of progress, warming
        from apps.playback.metrics import PlaybackCollector

        register_state_collector(PlaybackCollector())
