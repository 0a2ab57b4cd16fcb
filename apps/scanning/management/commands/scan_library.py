"""manage.py scan_library [NAME_OR_ID …] [--full] [--queue]"""

from django.core.management.base import BaseCommand, CommandError

from apps.core.checks import TAG
from apps.core.progress import ProgressBar
from apps.libraries.models import Library, LibraryScan
from apps.scanning import services

COUNTERS = ("seen", "added", "updated", "moved", "removed", "unchanged", "errors")


class Command(BaseCommand):
    help = "Scan libraries (all enabled ones when none is named), here with a progress bar or in the workers."
    # The configuration checks only, as gunicorn and Celery run at start: the full set (URLs, admin, models)
    # imports the whole API and took a fifth of the command's start-up.
    requires_system_checks = [TAG]

    def add_arguments(self, parser) -> None:
        parser.add_argument("libraries", nargs="*", metavar="NAME_OR_ID")
        parser.add_argument("--full", action="store_true", help="Re-read every file, not only new and changed ones.")
        parser.add_argument("--queue", action="store_true", help="Hand the scan to the Celery workers and return.")

    def handle(self, *args, libraries: list[str], full: bool, queue: bool, **options) -> None:
        failed = False
        for library in self._libraries(libraries):
            try:
                if queue:
                    scan = services.library_scan_enqueue(library=library, full=full)
                    self.stdout.write(f"{library}: scan {scan.pk} queued")
                    continue
                scan = services.scan_begin(library=library, full=full)
            except services.ScanAlreadyRunningError as exc:
                self.stderr.write(str(exc))
                failed = True
                continue
            bar = ProgressBar(self.stderr, label=library.name)
            try:
                scan = services.scan_run(scan=scan, progress=lambda s, bar=bar: bar.update(s.indexed, s.to_index))
            finally:
                bar.close()
            self._report(scan)
            failed = failed or scan.status != LibraryScan.Status.COMPLETED
        if failed:
            raise CommandError("some scans did not complete")

    def _libraries(self, names: list[str]) -> list[Library]:
        if not names:
            return list(Library.objects.filter(enabled=True))
        found = []
        for name in names:
            library = Library.objects.filter(pk=int(name)).first() if name.isdigit() else None
            library = library or Library.objects.filter(name=name).first()
            if library is None:
                raise CommandError(f"no library named {name!r}")
            found.append(library)
        return found

    def _report(self, scan: LibraryScan) -> None:
        counters = ", ".join(f"{name} {getattr(scan, name)}" for name in COUNTERS)
        seconds = scan.duration.total_seconds() if scan.duration else 0.0
        rate = scan.seen / seconds if seconds else 0.0
        self.stdout.write(f"{scan.library}: {scan.status} in {seconds:.1f} s ({rate:.0f} files/s): {counters}")
        for error in scan.scan_errors.all()[:20]:
            self.stdout.write(f"  error: {error.path}: {error.reason}")
        if scan.errors > 20:
            self.stdout.write(f"  … {scan.errors - 20} more errors in the admin (scan {scan.pk})")
