from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    # The "lti" cache of settings.CACHES (OIDC state and nonces); `migrate` makes it, so an
    # operator needs no `createcachetable` step. It is a no-op when the table exists.
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("lti", "0001_initial")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
