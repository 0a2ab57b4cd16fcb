"""HLS: the PyAV segment writer, its encoders and tone mapping, the transcode worker, playlists and serving."""
