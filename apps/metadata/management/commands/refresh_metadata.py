"""manage.py refresh_metadata [NAME_OR_ID …] [--force] [--movie ID …] [--show ID …] [--queue]"""

from django.core.management.base import BaseCommand, CommandError

from apps.core.checks import TAG
from apps.core.progress import ProgressBar
from apps.libraries.models import Library
from apps.metadata import services


class Command(BaseCommand):
    help = (
        "Look titles up on TMDb and fill them: the due ones of every enabled library (or of those named), every one "
        "with --force, or the given movies and shows. Fields set by an NFO or an operator stay as they are."
    )
    requires_system_checks = [TAG]

    def add_arguments(self, parser) -> None:
        parser.add_argument("libraries", nargs="*", metavar="NAME_OR_ID")
        parser.add_argument("--force", action="store_true", help="Every title, not only new, failed and stale ones.")
        parser.add_argument("--movie", type=int, action="append", default=[], metavar="ID")
        parser.add_argument("--show", type=int, action="append", default=[], metavar="ID")
        parser.add_argument("--queue", action="store_true", help="Hand the work to the Celery workers and return.")

    def handle(
        self, *args, libraries: list[str], force: bool, movie: list[int], show: list[int], queue: bool, **options
    ):
        scopes = [self._library(name) for name in libraries] or [None]
        if queue:
            tasks = services.metadata_refresh_enqueue(movie_ids=movie, show_ids=show)
            if not (movie or show):
                for library in scopes:
                    tasks += services.metadata_refresh_enqueue(library=library, everything=library is None)
            self.stdout.write(f"{tasks} metadata refresh task(s) queued")
            return
        runs = [{"movies": movie, "shows": show}] if movie or show else [{"library": s, "force": force} for s in scopes]
        for run in runs:
            bar = ProgressBar(self.stderr, label=str(run.get("library") or "metadata"), unit="titles")
            try:
                counts = services.metadata_refresh(**run, progress=bar.update)
            finally:
                bar.close()
            if counts.off:
                raise CommandError("metadata lookup is off: set REVENGE_TMDB_API_KEY or REVENGE_TMDB_TOKEN")
            self.stdout.write(
                f"{run.get('library') or 'all libraries'}: {counts.matched} matched, {counts.unmatched} unmatched, "
                f"{counts.failed} failed (retried later)"
            )

    def _library(self, name: str) -> Library:
        library = Library.objects.filter(pk=int(name)).first() if name.isdigit() else None
        library = library or Library.objects.filter(name=name).first()
        if library is None:
            raise CommandError(f"no library named {name!r}")
        return library
