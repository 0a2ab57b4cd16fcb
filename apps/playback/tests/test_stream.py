"""GET /api/v1/files/{id}/stream/: direct play with Range, caching headers, visibility and downloads."""

from __future__ import annotations

import email
import os
from pathlib import Path

import pytest
from rest_framework.test import APIClient

from apps.accounts.models import Role
from apps.accounts.services import users
from apps.core.testing.clients import client_for
from apps.libraries import services
from apps.media.models import MediaFile
from apps.scanning import services as scanning

pytestmark = pytest.mark.django_db


@pytest.fixture
def files(tmp_path, place):
    root = tmp_path / "movies"
    place(root, "Heat (1995)/Heat (1995).mkv")
    place(root, "Alien (1979)/Alien (1979).mp4")
    place(root, "Old (1950)/Old (1950).avi")
    library = services.library_create(name="Movies", kind="movies", paths=[str(root)])
    scanning.scan_run(scan=scanning.scan_begin(library=library))
    return {f.path.rsplit(".", 1)[1]: f for f in MediaFile.objects.all()}


@pytest.fixture
def client(user):
    return client_for(user)


def url(media_file) -> str:
    return f"/api/v1/files/{media_file.pk}/stream/"


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_whole_file_with_type_and_validators(client, files):
    for ext, kind in (("mkv", "video/x-matroska"), ("mp4", "video/mp4"), ("avi", "video/x-msvideo")):
        response = client.get(url(files[ext]))
        data = Path(files[ext].path).read_bytes()
        assert response.status_code == 200
        assert response["Content-Type"] == kind
        assert response["Accept-Ranges"] == "bytes" and response["ETag"] and response["Last-Modified"]
        assert int(response["Content-Length"]) == len(data) and body(response) == data


def test_first_bytes_middle_and_suffix(client, files):
    data = Path(files["mkv"].path).read_bytes()
    size = len(data)
    first = client.get(url(files["mkv"]), HTTP_RANGE="bytes=0-99")
    assert first.status_code == 206 and body(first) == data[:100]
    assert first["Content-Range"] == f"bytes 0-99/{size}" and first["Content-Length"] == "100"
    middle = client.get(url(files["mkv"]), HTTP_RANGE=f"bytes={size // 2}-{size // 2 + 999}")
    assert body(middle) == data[size // 2 : size // 2 + 1000]
    suffix = client.get(url(files["mkv"]), HTTP_RANGE="bytes=-500")
    assert body(suffix) == data[-500:] and suffix["Content-Range"] == f"bytes {size - 500}-{size - 1}/{size}"
    open_ended = client.get(url(files["mkv"]), HTTP_RANGE=f"bytes={size - 10}-")
    assert body(open_ended) == data[-10:]


def test_multiple_ranges_are_multipart(client, files):
    data = Path(files["mp4"].path).read_bytes()
    response = client.get(url(files["mp4"]), HTTP_RANGE="bytes=0-9,100-199")
    assert response.status_code == 206
    assert response["Content-Type"].startswith("multipart/byteranges; boundary=")
    raw = body(response)
    assert int(response["Content-Length"]) == len(raw)
    message = email.message_from_bytes(b"Content-Type: " + response["Content-Type"].encode() + b"\r\n\r\n" + raw)
    parts = [part.get_payload(decode=True) for part in message.get_payload()]
    assert parts == [data[0:10], data[100:200]]
    assert [p["Content-Range"] for p in message.get_payload()] == [
        f"bytes 0-9/{len(data)}",
        f"bytes 100-199/{len(data)}",
    ]


def test_invalid_and_stale_ranges(client, files):
    size = os.path.getsize(files["mkv"].path)
    beyond = client.get(url(files["mkv"]), HTTP_RANGE=f"bytes={size}-{size + 100}")
    assert beyond.status_code == 416 and beyond["Content-Range"] == f"bytes */{size}"
    too_many = client.get(url(files["mkv"]), HTTP_RANGE="bytes=" + ",".join(f"{i}-{i}" for i in range(0, 40, 2)))
    assert too_many.status_code == 416
    garbage = client.get(url(files["mkv"]), HTTP_RANGE="bytes=banana")
    assert garbage.status_code == 200, "a malformed Range is ignored, as the RFC allows"
    stale = client.get(url(files["mkv"]), HTTP_RANGE="bytes=0-9", HTTP_IF_RANGE='"not-the-etag"')
    assert stale.status_code == 200, "If-Range with another version: the whole file"
    etag = client.get(url(files["mkv"]))["ETag"]
    fresh = client.get(url(files["mkv"]), HTTP_RANGE="bytes=0-9", HTTP_IF_RANGE=etag)
    assert fresh.status_code == 206


def test_conditional_get(client, files):
    first = client.get(url(files["mkv"]))
    again = client.get(url(files["mkv"]), HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again["ETag"] == first["ETag"]
    since = client.get(url(files["mkv"]), HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert since.status_code == 304
    os.utime(files["mkv"].path, (0, 2_000_000_000))
    changed = client.get(url(files["mkv"]), HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200 and changed["ETag"] != first["ETag"]


def test_invisible_missing_and_anonymous(client, files, tmp_path, place):
    other_root = tmp_path / "private"
    place(other_root, "Secret (2001)/Secret (2001).mkv")
    private = services.library_create(name="Private", kind="movies", paths=[str(other_root)])
    scanning.scan_run(scan=scanning.scan_begin(library=private))
    secret = MediaFile.objects.get(library=private)
    owner = users.user_create(username="boss", password="x" * 12, by=None, role=Role.objects.get(group__name="admin"))
    services.library_grants_set(library=private, roles={}, users={}, by=owner)
    assert client.get(url(secret)).status_code == 404
    assert client.get("/api/v1/files/999999/stream/").status_code == 404
    assert APIClient().get(url(files["mkv"])).status_code == 401
    os.remove(files["avi"].path)
    gone = client.get(url(files["avi"]))
    assert gone.status_code == 404 and "not on disk" in gone.json()["detail"]


def test_download_needs_the_role_setting(client, files, user):
    refused = client.get(url(files["mkv"]), {"download": "1"})
    assert refused.status_code == 403  # the built-in user role may not download
    users.user_update(user=user, by=None, settings_overrides={"may_download": True})
    allowed = client.get(url(files["mkv"]), {"download": "1"})
    assert allowed.status_code == 200
    assert allowed["Content-Disposition"] == "attachment; filename*=UTF-8''Heat%20%281995%29.mkv"


def test_nginx_serves_the_bytes_when_configured(client, files, settings):
    settings.ACCEL_REDIRECT_PREFIX = "/protected/"
    response = client.get(url(files["mkv"]), HTTP_RANGE="bytes=0-9")
    assert response["X-Accel-Redirect"] == "/protected" + files["mkv"].path.replace(" ", "%20").replace(
        "(", "%28"
    ).replace(")", "%29")
    assert response.content == b""


@pytest.mark.parametrize(
    ("header", "status"),
    [
        (f"bytes=0-{'9' * 10_000}", 206),
        (f"bytes={'9' * 10_000}-", 416),
        (f"bytes=-{'9' * 10_000}", 206),
        ("bytes=²-3", 200),
        ("bytes=" + ",".join(["0-1"] * 5000), 416),
    ],
)
def test_hostile_range_headers_get_an_answer_not_an_error(client, files, header, status):
    response = client.get(url(files["mkv"]), HTTP_RANGE=header)
    assert response.status_code == status
