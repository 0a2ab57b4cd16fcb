"""Files on disk, the streams inside them, and subtitle files beside them."""

from __future__ import annotations

from django.db import models


class MediaFile(models.Model):
    """A video file of a library; upserted on (library, path), moves keep the row and its id."""

    class ProbeStatus(models.TextChoices):
        PENDING = "pending", "Pending"
        OK = "ok", "OK"
        FAILED = "failed", "Failed"

    library = models.ForeignKey("libraries.Library", on_delete=models.CASCADE, related_name="files")
    path = models.CharField(max_length=2000)  # walker.MAX_PATH_LENGTH
    size = models.BigIntegerField()
    mtime_ns = models.BigIntegerField()
    device = models.BigIntegerField(default=0)
    inode = models.BigIntegerField(default=0)
    fingerprint = models.CharField(max_length=40, blank=True, db_index=True)
    container = models.CharField(max_length=32, blank=True)
    duration = models.FloatField(null=True, blank=True, help_text="Seconds.")
    bitrate = models.BigIntegerField(null=True, blank=True, help_text="Bits per second.")
    probe_status = models.CharField(max_length=16, choices=ProbeStatus.choices, default=ProbeStatus.PENDING)
    probe_error = models.TextField(blank=True)
    movie = models.ForeignKey("media.Movie", null=True, blank=True, on_delete=models.SET_NULL, related_name="files")
    episode = models.ForeignKey("media.Episode", null=True, blank=True, on_delete=models.SET_NULL, related_name="files")
    part = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Stack part (cd1, part2, …).")
    version = models.CharField(max_length=100, blank=True, help_text="Multi-version label, e.g. 1080p.")
    extra_type = models.CharField(
        max_length=32, blank=True, help_text="Trailer, featurette…; empty for the main feature."
    )
    is_3d = models.BooleanField(default=False)
    added_at = models.DateTimeField(auto_now_add=True)
    last_scanned_at = models.DateTimeField(null=True, blank=True)
    # Duplicate detection (apps/media/duplicates/detection.py). Each hash keeps the state_key of the file it was
    # computed for, so it is recomputed only when the file changes; a perceptual key with an empty hash means
    # "tried, not hashable" (perceptual_error says why).
    full_hash = models.CharField(max_length=64, blank=True, help_text="SHA-256 of the whole file, when needed.")
    full_hash_key = models.CharField(max_length=100, blank=True)
    perceptual_hash = models.CharField(max_length=400, blank=True, help_text="dHash of sampled frames.")
    perceptual_hash_key = models.CharField(max_length=100, blank=True)
    perceptual_error = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["path"]
        constraints = [models.UniqueConstraint(fields=["library", "path"], name="unique_file_path_per_library")]
        indexes = [models.Index(fields=["device", "inode"])]

    def __str__(self) -> str:
        return self.path

    @property
    def state_key(self) -> str:
        """What identifies this version of the file's content: size, modification time, device and inode."""
        return f"{self.size}:{self.mtime_ns}:{self.device}:{self.inode}"


class MediaStream(models.Model):
    """A video, audio, subtitle or attachment stream inside a file, as probed."""

    class Type(models.TextChoices):
        VIDEO = "video"
        AUDIO = "audio"
        SUBTITLE = "subtitle"
        ATTACHMENT = "attachment"
        DATA = "data"

    class Hdr(models.TextChoices):
        SDR = "SDR"
        HDR10 = "HDR10"
        HDR10_PLUS = "HDR10+"
        HLG = "HLG"
        DV = "DV"

    file = models.ForeignKey(MediaFile, on_delete=models.CASCADE, related_name="streams")
    index = models.PositiveSmallIntegerField()
    type = models.CharField(max_length=16, choices=Type.choices)
    codec = models.CharField(max_length=64, blank=True)
    profile = models.CharField(max_length=64, blank=True)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    frame_rate = models.FloatField(null=True, blank=True)
    pixel_format = models.CharField(max_length=32, blank=True)
    bit_depth = models.PositiveSmallIntegerField(null=True, blank=True)
    color_space = models.CharField(max_length=32, blank=True)
    color_primaries = models.CharField(max_length=32, blank=True)
    color_transfer = models.CharField(max_length=32, blank=True)
    color_range = models.CharField(max_length=8, blank=True)
    hdr = models.CharField(max_length=8, choices=Hdr.choices, blank=True)
    channels = models.PositiveSmallIntegerField(null=True, blank=True)
    channel_layout = models.CharField(max_length=64, blank=True)
    sample_rate = models.PositiveIntegerField(null=True, blank=True)
    language = models.CharField(max_length=16, blank=True)
    title = models.CharField(max_length=500, blank=True)
    default = models.BooleanField(default=False)
    forced = models.BooleanField(default=False)
    bitrate = models.BigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["file", "index"]
        constraints = [models.UniqueConstraint(fields=["file", "index"], name="unique_stream_index")]

    def __str__(self) -> str:
        return f"#{self.index} {self.type} {self.codec}"


class Subtitle(models.Model):
    """A subtitle file beside a media file."""

    file = models.ForeignKey(MediaFile, on_delete=models.CASCADE, related_name="subtitles")
    path = models.CharField(max_length=2000)
    language = models.CharField(max_length=16, blank=True)
    forced = models.BooleanField(default=False)
    sdh = models.BooleanField(default=False)
    default = models.BooleanField(default=False)
    format = models.CharField(max_length=8)
    title = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["file", "language", "path"]
        constraints = [models.UniqueConstraint(fields=["file", "path"], name="unique_subtitle_path")]

    def __str__(self) -> str:
        return self.path
