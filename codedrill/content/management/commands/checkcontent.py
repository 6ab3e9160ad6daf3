import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from codedrill.content.check import as_text, check
from codedrill.content.sandbox import WALL_SECONDS


class Command(BaseCommand):
    help = (
        "Validate a content folder and run every proof (`codedrill check`). "
        "Exit status 1 on any error, failed proof or proof that could not run."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", type=Path, default=settings.CONTENT_DIR)
        parser.add_argument("--json", action="store_true", help="print the report as JSON")
        parser.add_argument("--no-proofs", action="store_true", help="validate only")
        parser.add_argument(
            "--timeout", type=float, default=WALL_SECONDS, help="seconds allowed per proof"
        )
        parser.add_argument("--workers", type=int, default=None, help="proofs at a time")

    def handle(self, *args, path: Path, **options):
        report = check(
            path.resolve(),
            proofs=not options["no_proofs"],
            timeout=options["timeout"],
            workers=options["workers"],
            progress=lambda line: self.stderr.write(line),  # stdout stays the report
        )
        report.pop("runs")
        if options["json"]:
            self.stdout.write(json.dumps(report, indent=2))
        else:
            self.stdout.write(as_text(report))
        if not report["ok"]:
            raise CommandError("content check failed", returncode=1)
