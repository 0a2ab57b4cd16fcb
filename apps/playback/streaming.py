"""Serve a media file as it is: Range (206, multipart), conditional requests, sendfile or X-Accel-Redirect."""

from __future__ import annotations

import mimetypes
import os
import secrets
from collections.abc import Iterator
from urllib.parse import quote

from django.conf import settings
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseNotModified, StreamingHttpResponse
from django.utils.http import http_date, parse_http_date_safe, quote_etag

from apps.libraries.containment import open_contained
from apps.media.models import MediaFile
from apps.playback.ranges import ByteRange, UnsatisfiableRange, range_parse

CHUNK = 256 * 1024
# Container names as probed (ffmpeg's format names) -> the type players expect.
CONTAINER_TYPES = {
    "matroska": "video/x-matroska",
    "matroska,webm": "video/x-matroska",
    "webm": "video/webm",
    "mov,mp4,m4a,3gp,3g2,mj2": "video/mp4",
    "mp4": "video/mp4",
    "mov": "video/quicktime",
    "avi": "video/x-msvideo",
    "mpegts": "video/mp2t",
    "mpeg": "video/mpeg",
    "ogg": "video/ogg",
    "flv": "video/x-flv",
}


class FileUnavailable(OSError):
    """The catalogue knows the file but the disk does not have it now (unmounted, moved, deleted)."""


def content_type(media_file: MediaFile) -> str:
    if media_file.container in CONTAINER_TYPES:
        return CONTAINER_TYPES[media_file.container]
    if media_file.path.lower().endswith(".mkv"):
        return "video/x-matroska"
    return mimetypes.guess_type(media_file.path)[0] or "application/octet-stream"


class _Window:
    """A file object limited to [start, start + length): sendfile-capable (fileno, tell) and bounded reads."""

    def __init__(self, handle, start: int, length: int) -> None:
        self.handle, self.remaining = handle, length
        handle.seek(start)

    def fileno(self) -> int:
        return self.handle.fileno()

    def tell(self) -> int:
        return self.handle.tell()

    def seek(self, offset: int, whence: int = 0) -> int:
        return self.handle.tell()  # the window does not move; FileResponse only asks where it is

    def read(self, size: int = -1) -> bytes:
        if self.remaining <= 0:
            return b""
        size = self.remaining if size is None or size < 0 else min(size, self.remaining)
        data = self.handle.read(size)
        self.remaining -= len(data)
        return data

    def close(self) -> None:
        self.handle.close()


def _multipart(handle, ranges: list[ByteRange], size: int, kind: str, boundary: str) -> Iterator[bytes]:
    try:
        for part in ranges:
            yield _part_head(part, size, kind, boundary).encode()
            handle.seek(part.start)
            left = part.length
            while left > 0:
                data = handle.read(min(CHUNK, left))
                if not data:
                    return
                left -= len(data)
                yield data
        yield f"\r\n--{boundary}--\r\n".encode()
    finally:
        handle.close()


def _part_head(part: ByteRange, size: int, kind: str, boundary: str) -> str:
    return f"\r\n--{boundary}\r\nContent-Type: {kind}\r\nContent-Range: {part.content_range(size)}\r\n\r\n"


def _multipart_length(ranges: list[ByteRange], size: int, kind: str, boundary: str) -> int:
    heads = sum(len(_part_head(r, size, kind, boundary).encode()) + r.length for r in ranges)
    return heads + len(f"\r\n--{boundary}--\r\n")


def stream_response(request: HttpRequest, media_file: MediaFile, *, download: bool = False) -> HttpResponse:
    """The file, honouring Range, If-Range, If-None-Match and If-Modified-Since."""
    try:
        # Opened through the containment door: a file swapped for a link out of the library since the scan is
        # refused like a missing one.
        handle = open_contained(path=media_file.path, library=media_file.library)
    except OSError as exc:
        raise FileUnavailable(media_file.path) from exc
    try:
        return _response(request, media_file, handle, download)
    except BaseException:
        handle.close()
        raise


def _response(request: HttpRequest, media_file: MediaFile, handle, download: bool) -> HttpResponse:
    st = os.fstat(handle.fileno())
    size, kind = st.st_size, content_type(media_file)
    etag = quote_etag(f"{st.st_size:x}-{st.st_mtime_ns:x}-{st.st_ino:x}")
    last_modified = http_date(st.st_mtime)
    if _not_modified(request, etag, int(st.st_mtime)):
        handle.close()
        response = HttpResponseNotModified()
        response["ETag"], response["Last-Modified"] = etag, last_modified
        return response
    wanted = request.META.get("HTTP_RANGE")
    if wanted and not _if_range_holds(request, etag, int(st.st_mtime)):
        wanted = None  # the client's copy is stale: send the whole file
    try:
        ranges = range_parse(wanted, size)
    except UnsatisfiableRange:
        handle.close()
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
        return _headers(response, etag, last_modified)
    if settings.ACCEL_REDIRECT_PREFIX:
        # nginx serves the bytes (and the ranges) from an internal location; we only decided who may.
        handle.close()
        response = HttpResponse(content_type=kind)
        response["X-Accel-Redirect"] = settings.ACCEL_REDIRECT_PREFIX.rstrip("/") + quote(media_file.path)
        return _headers(response, etag, last_modified, media_file if download else None)
    if ranges is None:
        response = FileResponse(handle, content_type=kind)
        response["Content-Length"] = str(size)
    elif len(ranges) == 1:
        part = ranges[0]
        response = FileResponse(_Window(handle, part.start, part.length), content_type=kind, status=206)
        response["Content-Length"] = str(part.length)
        response["Content-Range"] = part.content_range(size)
    else:
        boundary = secrets.token_hex(12)
        response = StreamingHttpResponse(
            _multipart(handle, ranges, size, kind, boundary),
            status=206,
            content_type=f"multipart/byteranges; boundary={boundary}",
        )
        response["Content-Length"] = str(_multipart_length(ranges, size, kind, boundary))
    return _headers(response, etag, last_modified, media_file if download else None)


def _headers(response: HttpResponse, etag: str, last_modified: str, attachment: MediaFile | None = None):
    response["Accept-Ranges"] = "bytes"
    response["ETag"] = etag
    response["Last-Modified"] = last_modified
    response["Cache-Control"] = "private, max-age=0"
    if attachment is not None:
        name = os.path.basename(attachment.path)
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


def _not_modified(request: HttpRequest, etag: str, mtime: int) -> bool:
    if_none_match = request.META.get("HTTP_IF_NONE_MATCH")
    if if_none_match is not None:
        return etag in [tag.strip() for tag in if_none_match.split(",")] or if_none_match.strip() == "*"
    since = parse_http_date_safe(request.META.get("HTTP_IF_MODIFIED_SINCE", ""))
    return since is not None and mtime <= since


def _if_range_holds(request: HttpRequest, etag: str, mtime: int) -> bool:
    condition = request.META.get("HTTP_IF_RANGE")
    if not condition:
        return True
    if condition.startswith(('"', "W/")):
        return condition == etag  # a strong comparison: weak tags never match
    since = parse_http_date_safe(condition)
    return since is not None and mtime <= since
