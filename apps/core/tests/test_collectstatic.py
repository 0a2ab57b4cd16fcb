"""`make run` collects static files before it starts: every vendored and own asset must survive the manifest
storage's post-processing (a script naming a missing source map fails it, and with it the start)."""

from __future__ import annotations

import json

from django.core.management import call_command


def test_collectstatic_post_processes_every_asset(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "static"
    call_command("collectstatic", interactive=False, verbosity=0)
    manifest = json.loads((tmp_path / "static" / "staticfiles.json").read_text())["paths"]
    for asset in (
        "vendor/hls/hls.min.js",
        "vendor/htmx/htmx.min.js",
        "web/web.css",
        "web/player.js",
        "console/console.css",
    ):
        assert asset in manifest, asset
        assert (tmp_path / "static" / manifest[asset]).is_file()
