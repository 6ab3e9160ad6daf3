"""An LMS for the LTI tests: the third-party `lti1p3platform` package, served on a loopback
port. It does what Moodle or Canvas does for codedrill: it starts logins, signs launches and
Deep Linking requests with its key, publishes that key, hands out access tokens, verifies
Deep Linking responses and receives scores. Everything it received is kept for the test."""

import contextlib
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from socketserver import ThreadingMixIn
from urllib.parse import parse_qsl, urlencode
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from lti1p3platform.ltiplatform import LTI1P3PlatformConfAbstract
from lti1p3platform.message_launch import LTIAdvantageMessageLaunchAbstract
from lti1p3platform.registration import Registration
from lti1p3platform.request import Request
from lti1p3platform.score import UpdateScoreStatus
from lti1p3platform.service_connector import AssignmentsGradesService

from codedrill.lab.engine import free_port

CLIENT_ID = "codedrill-client"
DEPLOYMENT_ID = "deployment-1"
INSTRUCTOR = "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"
LEARNER = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"


def new_private_key() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


def public_pem(private_pem: str) -> str:
    key = serialization.load_pem_private_key(private_pem.encode(), None)
    return (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


class WsgiRequest(Request):
    def build_metadata(self, environ) -> dict:
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""
        content_type = environ.get("CONTENT_TYPE", "")
        return {
            "method": environ["REQUEST_METHOD"],
            "form_data": dict(parse_qsl(body.decode())) if "form" in content_type else {},
            "json": json.loads(body) if "json" in content_type and body else None,
            "get_data": dict(parse_qsl(environ.get("QUERY_STRING", ""))),
            "headers": {
                key[5:].replace("_", "-").title(): value
                for key, value in environ.items()
                if key.startswith("HTTP_")
            },
            "content_type": content_type,
            "path": environ["PATH_INFO"],
        }


class Conf(LTI1P3PlatformConfAbstract):
    def init_platform_config(self, registration: Registration) -> None:
        self._registration = registration

    def get_registration_by_params(self, **kwargs) -> Registration:
        return self._registration


@dataclass
class Lms:
    """The platform's state: who launches what, and what it received back."""

    url: str
    tool: str
    private_key: str = field(default_factory=new_private_key)
    scores: list = field(default_factory=list)
    deep_link_items: list = field(default_factory=list)
    launches: dict = field(default_factory=dict)  # lti_message_hint -> what to launch
    down: bool = False  # the gradebook answers 503, as during an outage

    def registration(self) -> Registration:
        return (
            Registration()
            .set_iss(self.url)
            .set_client_id(CLIENT_ID)
            .set_deployment_id(DEPLOYMENT_ID)
            .set_launch_url(f"{self.tool}/lti/launch/")
            .set_deeplink_launch_url(f"{self.tool}/lti/launch/")
            .set_oidc_login_url(f"{self.tool}/lti/login/")
            .set_tool_key_set_url(f"{self.tool}/lti/jwks/")
            .set_platform_public_key(public_pem(self.private_key))
            .set_platform_private_key(self.private_key)
        )

    def conf(self) -> Conf:
        return Conf(registration=self.registration())

    def login_url(self, user: str, hint: str, **launch) -> str:
        """Where a course page sends the browser to open a codedrill item (OIDC login)."""
        self.launches[hint] = launch
        params = {
            "iss": self.url,
            "login_hint": user,
            "lti_message_hint": hint,
            "target_link_uri": f"{self.tool}/lti/launch/",
            "client_id": CLIENT_ID,
            "lti_deployment_id": DEPLOYMENT_ID,
        }
        return f"{self.tool}/lti/login/?{urlencode(params)}"

    def lineitem(self, item: str) -> str:
        return f"{self.url}/lineitems/{item}"


class Launch(LTIAdvantageMessageLaunchAbstract):
    """The platform's answer to the tool's OIDC authentication request: a form that posts
    the signed id_token to the tool, as a course page does in the browser."""

    def __init__(self, request, conf, lms: Lms):
        super().__init__(request, conf)
        self.lms = lms

    def prepare_launch(self, preflight_response) -> None:
        user = preflight_response["login_hint"]
        launch = self.lms.launches[preflight_response["lti_message_hint"]]
        roles = [INSTRUCTOR] if user.startswith("teacher") else [LEARNER]
        self.set_user_data(
            user, roles, full_name=f"{user.title()} Example", email_address=f"{user}@lms"
        )
        self.set_launch_context_claim("course-1", context_title="Async Django 101")
        if "expires_in" in launch:
            self.set_id_token_expiration(launch["expires_in"])
        if launch.get("deep_link"):
            self.set_dl(f"{self.lms.url}/deep-link-return", title="Add an activity")
            return
        self.set_resource_link_claim(launch["resource_link"])
        self.set_custom_parameters_claim(launch.get("custom", {}))
        item = launch["resource_link"]
        self.set_ags(f"{self.lms.url}/lineitems", self.lms.lineitem(item))
        self.set_extra_claims(launch.get("claims", {}))

    def render_launch_form(self, launch_data, **kwargs) -> str:
        return json.dumps(launch_data)  # the test posts it as the browser would


class Grades(AssignmentsGradesService):
    def __init__(self, request, conf, lms: Lms):
        super().__init__(request, conf, f"{lms.url}/lineitems")
        self.lms = lms

    def update_score(self, line_item_id, score):
        self.lms.scores.append({"lineitem": line_item_id, **score})
        return UpdateScoreStatus.SUCCESS

    def find_lineitems(self, *args, **kwargs):
        raise NotImplementedError

    def find_lineitem(self, line_item_id):
        raise NotImplementedError

    def create_lineitem(self, creation_data):
        raise NotImplementedError

    def update_lineitem(self, update_data):
        raise NotImplementedError

    def delete_lineitem(self, line_item_id):
        raise NotImplementedError

    def get_results(self, *args, **kwargs):
        raise NotImplementedError


def app(lms: Lms):
    def respond(start_response, status: str, body, content_type="application/json"):
        data = body if isinstance(body, str) else json.dumps(body)
        start_response(status, [("Content-Type", content_type)])
        return [data.encode()]

    def wsgi(environ, start_response):
        request = WsgiRequest(environ)
        path, conf = request.path, lms.conf()
        if path == "/jwks":
            return respond(start_response, "200 OK", conf.get_jwks())
        if path == "/auth":
            return respond(start_response, "200 OK", Launch(request, conf, lms).lti_launch())
        if path == "/token":
            return respond(start_response, "200 OK", conf.get_access_token(request.form_data))
        if path == "/deep-link-return":
            lms.deep_link_items += conf.validate_deeplinking_resp(request.form_data)
            return respond(start_response, "200 OK", {"received": True})
        if path.startswith("/lineitems/") and lms.down:
            return respond(start_response, "503 Service Unavailable", {"detail": "down"})
        if path.startswith("/lineitems/") and path.endswith("/scores"):
            item = path.removeprefix("/lineitems/").removesuffix("/scores")
            grades = Grades(request, conf, lms)
            answer = grades.handle_resp(grades.handle_update_score, line_item_id=item)
            return respond(start_response, f"{answer.code} X", {"message": answer.message})
        return respond(start_response, "404 Not Found", {"detail": "not found"})

    return wsgi


class _Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, *args) -> None:
        pass


@contextlib.contextmanager
def serve(tool: str) -> Iterator[Lms]:
    """The LMS on a free loopback port for the tool at `tool`, stopped when the block ends."""
    port = free_port()
    lms = Lms(url=f"http://127.0.0.1:{port}", tool=tool)
    server = make_server(
        "127.0.0.1", port, app(lms), server_class=_Server, handler_class=_QuietHandler
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield lms
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
