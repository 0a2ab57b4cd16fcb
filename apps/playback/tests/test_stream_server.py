"""Direct play through gunicorn, where the bytes go out with sendfile: ranges must still be exact."""

from __future__ import annotations

import urllib.request
from pathlib import Path

import pytest
from django.db import connection

from apps.accounts.services import tokens, users
from apps.core.testing.servers import Server
from apps.libraries import services
from apps.media.models import MediaFile
from apps.scanning import services as scanning


@pytest.mark.django_db(transaction=True)
def test_ranges_are_exact_with_sendfile(tmp_path, place, settings):
    root = tmp_path / "movies"
    place(root, "Heat (1995)/Heat (1995).mkv")
    library = services.library_create(name="Movies", kind="movies", paths=[str(root)])
    scanning.scan_run(scan=scanning.scan_begin(library=library))
    media_file = MediaFile.objects.get()
    viewer = users.user_create(username="viewer", password="x" * 16, by=None)
    _, key = tokens.api_token_create(user=viewer, name="tv")
    db = connection.settings_dict
    (tmp_path / "web").mkdir()
    web = Server(
        tmp_path / "web",
        DATABASE_URL=f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        REVENGE_SECRET_KEY=settings.SECRET_KEY,
    )
    try:
        web.wait_until_up()
        data = Path(media_file.path).read_bytes()
        for header, expected in (
            ("bytes=0-99", data[:100]),
            ("bytes=1000-1999", data[1000:2000]),
            ("bytes=-64", data[-64:]),
        ):
            request = urllib.request.Request(
                f"http://127.0.0.1:{web.port}/api/v1/files/{media_file.pk}/stream/",
                headers={"Authorization": f"Token {key}", "Range": header},
            )
            with urllib.request.urlopen(request, timeout=10) as response:
                assert response.status == 206
                assert response.read() == expected
        whole = urllib.request.Request(
            f"http://127.0.0.1:{web.port}/api/v1/files/{media_file.pk}/stream/",
            headers={"Authorization": f"Token {key}"},
        )
        with urllib.request.urlopen(whole, timeout=10) as response:
            assert response.read() == data
    finally:
        web.stop()
