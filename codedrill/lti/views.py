"""The LTI 1.3 endpoints a platform calls (login, launch, keys) and the pages a launch opens:
the teacher's picker for Deep Linking and a course's results.

The login and the launch are cross-site by design: the platform's page posts them to
codedrill, so Django's CSRF check would refuse them. They are exempt, and instead protected
the LTI way: the launch is accepted only with an id_token signed by the registered platform,
for this client, carrying a nonce codedrill issued (and takes) and the state its login set."""

from urllib.parse import urlsplit

import jwt
from django.conf import settings
from django.contrib.auth import login as log_in
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from pylti1p3.deep_link_resource import DeepLinkResource
from pylti1p3.exception import LtiException, OIDCException
from pylti1p3.lineitem import LineItem

from codedrill.content.models import Pattern
from codedrill.content.modes import BY_SLUG
from codedrill.lti import keys, tool
from codedrill.lti.learners import (
    NotPlaced,
    learner_for,
    placement_for,
    platform_of,
    seat,
)
from codedrill.lti.models import PLACEABLE_MODES, Placement

# Session key: the courses (platform pk, context id) this browser launched as a teacher.
TEACHING = "lti-teaching"
DL_SETTINGS = "https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"


class _NewWindowItem(DeepLinkResource):
    """A course item the LMS opens in a window of its own: codedrill's pages refuse to be
    framed, and a framed page would lose its session cookie to the browser's third-party
    cookie rules."""

    def to_dict(self) -> dict:
        return {**super().to_dict(), "window": {"targetName": "codedrill"}}


def _framable(response: HttpResponse, lms_url: str, posts_to_lms: bool = False) -> HttpResponse:
    """Let the LMS show a Deep Linking page in its dialog (Moodle and Canvas frame it), and no
    one else: the site's CSP with frame-ancestors set to the LMS's origin, and form-action too
    for the page that posts back there. An origin, not the URL: CSP sources carry no query,
    and Moodle's return URL has one."""
    parts = urlsplit(lms_url)
    lms = f"{parts.scheme}://{parts.netloc}"
    directives = dict(d.strip().split(" ", 1) for d in settings.CONTENT_SECURITY_POLICY.split(";"))
    form_action = f"'self' {lms}" if posts_to_lms else "'self'"
    directives |= {"form-action": form_action, "frame-ancestors": lms}
    response.headers["Content-Security-Policy"] = "; ".join(" ".join(d) for d in directives.items())
    response.xframe_options_exempt = True
    return response


def _teaches(message) -> bool:
    """The launch's person teaches the course (Instructor, or teaching assistant)."""
    return message.check_teacher_access() or message.check_teaching_assistant_access()


def _refused(request: HttpRequest, reason: str, status: int = 400) -> HttpResponse:
    return render(request, "lti/refused.html", {"reason": reason}, status=status)


@csrf_exempt  # the platform's cross-site login request (see the module's docstring)
@require_http_methods(["GET", "POST"])
def login(request: HttpRequest) -> HttpResponse:
    launch_url = request.build_absolute_uri(reverse("lti-launch"))
    try:
        return tool.oidc_login(request).redirect(launch_url)
    except (OIDCException, LtiException) as error:
        return _refused(request, f"This LTI login was refused: {error}.")


@csrf_exempt  # the platform's cross-site form post of the id_token (see the module's docstring)
@require_POST
def launch(request: HttpRequest) -> HttpResponse:
    try:
        message = tool.message_launch(request)  # on HTTPS, refuses a browser without its cookie
        data = message.get_launch_data()  # validates everything, or raises
    except (LtiException, jwt.InvalidTokenError) as error:
        return _refused(request, f"This LTI launch was refused: {error}.")
    platform = platform_of(data)
    identity = learner_for(platform, data)
    log_in(request, identity.learner, backend="django.contrib.auth.backends.ModelBackend")
    teacher = _teaches(message)
    if message.is_deep_link_launch():
        if not teacher:
            return _refused(request, "Only a course's teachers can add codedrill items.", 403)
        picker = render(request, "lti/pick.html", _picker(message.get_launch_id()))
        return _framable(picker, data[DL_SETTINGS]["deep_link_return_url"])
    try:
        placement = placement_for(platform, data)
    except NotPlaced as error:
        return _refused(request, str(error))
    if teacher:
        course = [platform.pk, placement.context_id]
        teaching = request.session.get(TEACHING, [])
        request.session[TEACHING] = teaching if course in teaching else [*teaching, course]
        return redirect("lti-results", pk=placement.pk)
    seat(placement, identity)
    return redirect("mode", slug=placement.pattern.slug, mode=placement.mode)


def _picker(launch_id: str) -> dict:
    return {
        "launch_id": launch_id,
        "patterns": Pattern.objects.live(),
        "modes": [(BY_SLUG[slug], graded) for slug, graded in PLACEABLE_MODES.items()],
    }


# Not Django's CSRF check: in the LMS's dialog (a cross-site frame) the browser withholds the
# CSRF cookie. The form's launch id stands in for it: a secret from a validated teacher launch,
# bound on HTTPS to PyLTI1p3's own SameSite=None cookie, that no other site can know.
@csrf_exempt
@require_POST
def deep_link(request: HttpRequest) -> HttpResponse:
    """The teacher's pick, returned to the platform as a signed Deep Linking response that the
    browser posts back there (deep_link_return.js)."""
    try:
        message = tool.restored_launch(request, request.POST.get("launch", ""))
    except LtiException:
        return _refused(request, "This course item picker has expired: add the item again.")
    if not (message.is_deep_link_launch() and _teaches(message)):
        return _refused(request, "Only a course's teachers can add codedrill items.", 403)
    return_url = message.get_launch_data()[DL_SETTINGS]["deep_link_return_url"]
    pattern = Pattern.objects.live().filter(slug=request.POST.get("pattern")).first()
    mode = request.POST.get("mode")
    if pattern is None or mode not in PLACEABLE_MODES:
        context = {**_picker(message.get_launch_id()), "error": "Choose a pattern and a mode."}
        return _framable(render(request, "lti/pick.html", context, status=400), return_url)
    title = f"{pattern.title}: {BY_SLUG[mode].title}"
    item = (
        _NewWindowItem()
        .set_url(request.build_absolute_uri(reverse("lti-launch")))
        .set_title(title)
        .set_custom_params({"pattern": pattern.slug, "mode": mode})
    )
    if PLACEABLE_MODES[mode]:
        column = LineItem().set_label(title).set_score_maximum(100)
        item.set_lineitem(column.set_resource_id(f"{pattern.slug}/{mode}"))
    signed = message.get_deep_link().get_response_jwt([item])
    context = {"return_url": return_url, "jwt": signed, "title": title}
    # This one form posts to the LMS, which the site-wide CSP's form-action forbids.
    return _framable(render(request, "lti/return.html", context), return_url, posts_to_lms=True)


@require_GET
def jwks(request: HttpRequest) -> JsonResponse:
    return JsonResponse(keys.jwks())


@require_GET
def results(request: HttpRequest, pk: int) -> HttpResponse:
    """Every codedrill item of the course the placement is in, and each learner's result."""
    placement = get_object_or_404(Placement.objects.select_related("platform"), pk=pk)
    if [placement.platform_id, placement.context_id] not in request.session.get(TEACHING, []):
        raise Http404("No such course among those you launched as a teacher.")
    items = (
        Placement.objects.filter(platform=placement.platform_id, context_id=placement.context_id)
        .select_related("pattern")
        .prefetch_related("grades__identity__learner")
        .order_by("pattern__title", "mode")
    )
    context = {"course": placement.context_title or placement.context_id, "items": items}
    return render(request, "lti/results.html", context)
