from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from codedrill.content.imports import import_gift


class Command(BaseCommand):
    help = (
        "Start a pattern folder from a Moodle GIFT file (`codedrill import gift FILE FOLDER`, "
        "FOLDER being <content>/<track>/<pattern>). Its questions are marked unproven: "
        "`codedrill check` lists them, and `publish` refuses them until each has a proof."
    )

    def add_arguments(self, parser):
        parser.add_argument("format", choices=["gift"])
        parser.add_argument("file", type=Path)
        parser.add_argument("folder", type=Path, help="the new pattern folder")
        parser.add_argument("--title", help="the pattern's title (default: from the folder)")

    def handle(self, *args, file: Path, folder: Path, title: str | None, **options):
        if folder.exists():
            raise CommandError(f"{folder} exists: import into a new pattern folder.")
        try:
            text = file.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"cannot read {file}: {error}") from error
        title = title or folder.name.replace("-", " ").capitalize()
        try:
            imported = import_gift(text, folder, title)
        except ValueError as error:
            raise CommandError(f"{file}: {error}") from error
        self.stdout.write(f"{len(imported.written)} question(s) in {folder}, all unproven.")
        if imported.skipped:
            self.stdout.write(f"Skipped (no such codedrill kind): {', '.join(imported.skipped)}")
