"""codedrill as an LTI 1.3 tool, through PyLTI1p3: the registrations it reads from the
database, the store that keeps OIDC state between the login and the launch, and the signed
messages it sends back (Deep Linking responses, grades)."""

import requests
from django.core.cache import caches
from pylti1p3.contrib.django import DjangoCacheDataStorage, DjangoMessageLaunch, DjangoOIDCLogin
from pylti1p3.deployment import Deployment as LtiDeployment
from pylti1p3.registration import Registration
from pylti1p3.tool_config.abstract import ToolConfAbstract

from codedrill.lti import keys
from codedrill.lti.models import Deployment, Platform

# The cache (a database table, see settings.CACHES) holding nonces, states and launches.
CACHE = "lti"
# Seconds codedrill waits on a platform (its keys, tokens, gradebook): PyLTI1p3 sets none.
PLATFORM_TIMEOUT = 10


class _Session(requests.Session):
    def request(self, *args, **kwargs):
        kwargs.setdefault("timeout", PLATFORM_TIMEOUT)
        return super().request(*args, **kwargs)


def http_session() -> requests.Session:
    return _Session()


def registration(platform: Platform) -> Registration:
    private, public = keys.signing_key()
    return (
        Registration()
        .set_issuer(platform.issuer)
        .set_client_id(platform.client_id)
        .set_auth_login_url(platform.auth_login_url)
        .set_auth_token_url(platform.auth_token_url)
        .set_auth_audience(platform.auth_audience or None)
        .set_key_set_url(platform.key_set_url)
        .set_tool_private_key(private)
        .set_tool_public_key(public)
    )


class ToolConf(ToolConfAbstract):
    """Registrations from the Platform rows (the admin or `codedrill lti-register`). One issuer
    may register codedrill more than once, so a registration is found by issuer and client."""

    def check_iss_has_one_client(self, iss: str) -> bool:
        return False

    def check_iss_has_many_clients(self, iss: str) -> bool:
        return True

    def find_registration_by_issuer(self, iss, *args, **kwargs):
        raise NotImplementedError("registrations are found by issuer and client id")

    def find_registration_by_params(self, iss, client_id, *args, **kwargs):
        platform = find_platform(iss, client_id)
        return registration(platform) if platform else None

    def find_deployment(self, iss, deployment_id):
        raise NotImplementedError("deployments are found by issuer, client id and deployment")

    def find_deployment_by_params(self, iss, deployment_id, client_id, *args, **kwargs):
        found = Deployment.objects.filter(
            platform__issuer=iss,
            platform__client_id=client_id,
            platform__is_active=True,
            deployment_id=deployment_id,
        ).exists()
        return LtiDeployment().set_deployment_id(deployment_id) if found else None


def find_platform(iss: str, client_id) -> Platform | None:
    """The active registration; the OIDC login may leave the client id out when the issuer
    has only one."""
    platforms = Platform.objects.filter(issuer=iss, is_active=True)
    if client_id:
        platforms = platforms.filter(client_id=client_id)
    return platforms.first() if client_id or platforms.count() == 1 else None


class LaunchStore(DjangoCacheDataStorage):
    """PyLTI1p3's Django cache storage, over a cache every web process shares. A nonce is
    taken when it is checked: the same id_token presented again is refused, which PyLTI1p3
    alone would let through (it only checks that the nonce was issued)."""

    def __init__(self):
        super().__init__(cache_name=CACHE)

    def check_value(self, key: str) -> bool:
        if "-nonce-" not in key:
            return super().check_value(key)
        key = self._prepare_key(key)
        cache = caches[CACHE]
        # Of two requests with one nonce, only the one whose delete removed it goes on.
        return cache.get(key) is not None and cache.delete(key)


def oidc_login(request) -> DjangoOIDCLogin:
    return DjangoOIDCLogin(request, ToolConf(), launch_data_storage=LaunchStore())


def message_launch(request) -> DjangoMessageLaunch:
    return DjangoMessageLaunch(
        request, ToolConf(), launch_data_storage=LaunchStore(), requests_session=http_session()
    )


def restored_launch(request, launch_id: str) -> DjangoMessageLaunch:
    """A launch validated earlier in this browser, read back by its id (Deep Linking answers
    in a second request)."""
    return DjangoMessageLaunch.from_cache(
        launch_id, request, ToolConf(), launch_data_storage=LaunchStore()
    )
