from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from codedrill.lti.models import Deployment, Platform


class Command(BaseCommand):
    help = (
        "Register an LMS (an LTI 1.3 platform) with the values its tool configuration gives, "
        "or update the registration of the same issuer and client ID. Prints the values to "
        "enter in the LMS in return."
    )

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True, help="what the admin and teachers see")
        parser.add_argument("--issuer", required=True, help="the platform ID (iss)")
        parser.add_argument("--client-id", required=True)
        parser.add_argument("--deployment-id", action="append", required=True,
                            help="repeat for several deployments")  # fmt: skip
        parser.add_argument("--auth-login-url", required=True, help="OIDC authentication URL")
        parser.add_argument("--auth-token-url", required=True, help="access token URL")
        parser.add_argument("--key-set-url", required=True, help="the platform's public keyset")
        parser.add_argument("--auth-audience", default="")
        parser.add_argument("--site", default="https://codedrill.example.edu",
                            help="codedrill's public address, for the values printed")  # fmt: skip

    def handle(self, *args, **o):
        values = {
            "name": o["name"],
            "auth_login_url": o["auth_login_url"],
            "auth_token_url": o["auth_token_url"],
            "key_set_url": o["key_set_url"],
            "auth_audience": o["auth_audience"],
            "is_active": True,
        }
        platform = Platform(issuer=o["issuer"], client_id=o["client_id"], **values)
        try:
            platform.full_clean(validate_unique=False)
        except Exception as error:
            raise CommandError(error) from error
        platform, created = Platform.objects.update_or_create(
            issuer=o["issuer"], client_id=o["client_id"], defaults=values
        )
        for deployment_id in o["deployment_id"]:
            Deployment.objects.get_or_create(platform=platform, deployment_id=deployment_id)
        site = o["site"].rstrip("/")
        self.stdout.write(f"{'Registered' if created else 'Updated'} {platform}. In the LMS enter:")
        for label, name in [
            ("Tool URL / target link URI", "lti-launch"),
            ("Initiate login URL", "lti-login"),
            ("Redirection URI(s)", "lti-launch"),
            ("Public keyset URL", "lti-jwks"),
        ]:
            self.stdout.write(f"  {label}: {site}{reverse(name)}")
