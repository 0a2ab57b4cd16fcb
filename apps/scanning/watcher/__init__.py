"""The folder watcher: inotify events → stable files → batched watcher scans (see `watch_libraries`)."""
