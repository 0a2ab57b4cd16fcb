"""manage.py probe FILE [FILE ...]: print media info as JSON."""

import json

from django.core.management.base import BaseCommand, CommandError

from apps.media.probe import ProbeError, file_probe


def _display(path: str) -> str:
    # argv keeps undecodable bytes as surrogates, which cannot be written to a UTF-8 stdout.
    return path.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


class Command(BaseCommand):
    help = "Probe media files with PyAV and print container and stream info as JSON (a list for several files)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("files", nargs="+", metavar="FILE")

    def handle(self, *args, files: list[str], **options) -> None:
        results = []
        failed = 0
        for path in files:
            try:
                results.append({"path": _display(path), **file_probe(path).as_dict()})
            except ProbeError as exc:
                failed += 1
                results.append({"path": _display(path), "error": str(exc)})
        output = results[0] if len(results) == 1 else results
        self.stdout.write(json.dumps(output, indent=2, ensure_ascii=False))
        if failed:
            raise CommandError(f"{failed} of {len(files)} file(s) could not be probed")
