import sys

from django.core.management.base import BaseCommand, CommandError

from codedrill.content.exports import FORMATS
from codedrill.content.models import Pattern


class Command(BaseCommand):
    help = (
        "Write a published pattern's questions, keys included, for an LMS: `qti` (an IMS QTI "
        "3.0 package, a zip), `gift` or `moodle-xml` (both import into Moodle's question bank)."
    )

    def add_arguments(self, parser):
        parser.add_argument("format", choices=sorted(FORMATS))
        parser.add_argument("pattern", help="the pattern's slug")
        parser.add_argument("-o", "--output", help="the file to write (default: standard output)")

    def handle(self, *args, format: str, pattern: str, output: str | None, **options):
        found = Pattern.objects.live().filter(slug=pattern).first()
        if found is None:
            slugs = ", ".join(Pattern.objects.live().values_list("slug", flat=True)) or "none"
            raise CommandError(f"No published pattern {pattern!r} (published: {slugs}).")
        export = FORMATS[format](found)
        if output:
            with open(output, "wb") as f:
                f.write(export.content)
        else:
            sys.stdout.buffer.write(export.content)
        summary = f"{len(export.written)} question(s) written"
        if export.skipped:
            summary += f"; skipped, as {format} has no such kind: {', '.join(export.skipped)}"
        self.stderr.write(summary)
