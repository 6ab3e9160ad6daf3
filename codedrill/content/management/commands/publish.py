from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor

from codedrill.content.publish import ContentInvalid, publish


class Command(BaseCommand):
    help = "Validate a content folder and publish it as the new live version (all or nothing)."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", type=Path, default=settings.CONTENT_DIR)

    def handle(self, *args, path: Path, **options):
        try:
            version = publish(path.resolve())
        except DatabaseError as exc:
            executor = MigrationExecutor(connection)
            if executor.migration_plan(executor.loader.graph.leaf_nodes()):
                raise CommandError(
                    "The database is not migrated yet: run `codedrill migrate` first."
                ) from exc
            raise
        except ContentInvalid as exc:
            for error in exc.errors:
                self.stderr.write(str(error))
            raise CommandError(
                f"{len(exc.errors)} error(s); nothing was published, the live version is unchanged."
            ) from exc
        self.stdout.write(f"Published {version}: {version.summary}")
