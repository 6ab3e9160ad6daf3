from django.core.management.base import BaseCommand

from codedrill.lti import keys


class Command(BaseCommand):
    help = (
        "Give codedrill a new LTI signing key (in DATA_DIR/lti-keys). The previous key stays "
        "published at /lti/jwks/ until the next rotation; older ones are deleted."
    )

    def handle(self, *args, **options):
        kid = keys.rotate()
        self.stdout.write(
            f"New signing key {kid}; /lti/jwks/ now lists {len(keys.jwks()['keys'])}."
        )
