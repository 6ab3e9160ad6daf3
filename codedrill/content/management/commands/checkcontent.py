import argparse
import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from codedrill.content.check import as_text, check
from codedrill.sandbox import Limits


def _bounded(kind, low, high):
    def parse(text: str):
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"must be from {low} to {high}")
        return value

    return parse


class Command(BaseCommand):
    help = (
        "Validate a content folder and run every proof (`codedrill check`). "
        "Exit status 1 on any error, failed proof or proof that could not run."
    )

    def create_parser(self, prog_name, subcommand, **kwargs):
        # Authors type `codedrill check` (see codedrill/cli.py); usage and errors say so.
        return super().create_parser(prog_name, "check", **kwargs)

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", type=Path, default=settings.CONTENT_DIR)
        parser.add_argument("--json", action="store_true", help="print the report as JSON")
        parser.add_argument("--no-proofs", action="store_true", help="validate only")
        parser.add_argument(
            "--no-cache", action="store_true",
            help="run every proof, even those whose stored observation still holds "
            "(what each costs is still read from the cache, to pace the runs)",
        )  # fmt: skip
        parser.add_argument(
            "--timeout", type=_bounded(float, 1, 600), default=Limits.wall_seconds,
            help="seconds allowed per proof (1-600)",
        )  # fmt: skip
        parser.add_argument(
            "--weak-sandbox", action="store_true",
            help="where the full sandbox is missing, run your own proofs with limits only",
        )  # fmt: skip
        parser.add_argument(
            "--workers", type=_bounded(int, 1, 64), default=None,
            help="proofs at a time (default: one per core)",
        )  # fmt: skip

    def handle(self, *args, path: Path, **options):
        report = check(
            path.resolve(),
            proofs=not options["no_proofs"],
            timeout=options["timeout"],
            workers=options["workers"],
            weak_sandbox=options["weak_sandbox"],
            progress=lambda line: self.stderr.write(line),  # stdout stays the report
            cache=settings.DATA_DIR / "check-cache.json",
            reuse=not options["no_cache"],
        )
        report.pop("runs")
        if options["json"]:
            self.stdout.write(json.dumps(report, indent=2))
        else:
            self.stdout.write(as_text(report))
        if not report["ok"]:
            raise CommandError("content check failed", returncode=1)
