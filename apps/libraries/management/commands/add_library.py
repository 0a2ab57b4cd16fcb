"""manage.py add_library NAME --kind movies|shows PATH [PATH …]"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from apps.libraries import services
from apps.libraries.models import Library


class Command(BaseCommand):
    help = "Create a library of movies or shows with one or more folders."

    def add_arguments(self, parser) -> None:
        parser.add_argument("name")
        parser.add_argument("paths", nargs="+", metavar="PATH")
        parser.add_argument("--kind", required=True, choices=Library.Kind.values)
        parser.add_argument("--no-watch", action="store_true", help="Do not watch the folders in real time.")

    def handle(self, *args, name: str, paths: list[str], kind: str, no_watch: bool, **options) -> None:
        try:
            library = services.library_create(name=name, kind=kind, paths=paths, realtime_monitoring=not no_watch)
        except ValidationError as exc:
            messages = (
                [m for values in exc.message_dict.values() for m in values]
                if hasattr(exc, "error_dict")
                else exc.messages
            )
            raise CommandError("; ".join(messages)) from exc
        folders = ", ".join(library.folders.values_list("path", flat=True))
        self.stdout.write(self.style.SUCCESS(f"Library {library.pk} '{library.name}' ({library.kind}): {folders}"))
