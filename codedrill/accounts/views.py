import json

from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from codedrill.accounts.forms import DeleteAccountForm, LoginForm, SignupForm
from codedrill.accounts.learners import client_address
from codedrill.accounts.models import LoginFailure

BACKEND = "codedrill.accounts.backends.RateLimitedBackend"


def _next_url(request: HttpRequest) -> str:
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(url, {request.get_host()}, request.is_secure()):
        return url
    return "/"


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated and not request.user.is_guest:
        return redirect("account")
    guest = request.user if request.user.is_authenticated else None
    # A guest signs up by becoming a member in place: every row of progress stays theirs.
    form = SignupForm(request.POST if request.method == "POST" else None, instance=guest)
    if request.method == "POST" and form.is_valid():
        user = form.save(commit=False)
        user.is_guest = False
        user.date_joined = timezone.now()
        try:
            with transaction.atomic():
                user.save()
        except IntegrityError:  # the same name taken by a concurrent sign-up
            if guest:
                guest.refresh_from_db()  # undo the unsaved rename on the request's user
            form.add_error("username", "A user with that username already exists.")
        else:
            login(request, user, backend=BACKEND)
            messages.success(
                request, f"Welcome, {user.username}. Your progress is saved to your account."
            )
            return redirect(_next_url(request))
    return render(request, "accounts/signup.html", {"form": form, "next": _next_url(request)})


@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    form = LoginForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST" and form.is_valid():
        username = form.cleaned_data["username"]
        # The backend counts failures and refuses a blocked name or address (RateLimitedBackend).
        user = authenticate(request, username=username, password=form.cleaned_data["password"])
        if user is None and LoginFailure.blocked(username, client_address(request)):
            form.add_error(None, "Too many failed logins. Wait 15 minutes, then try again.")
            status = 429
        elif user is None:
            form.add_error(None, "That username and password do not match an account.")
        else:
            if request.user.is_authenticated and request.user.is_guest:
                user.merge_guest(request.user)
            login(request, user)
            return redirect(_next_url(request))
    context = {"form": form, "next": _next_url(request)}
    return render(request, "accounts/login.html", context, status=status)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("catalog")


@require_safe
def account(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect("signup")
    form = DeleteAccountForm(request.user)
    return render(request, "accounts/account.html", {"delete_form": form})


@require_safe
def export(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect("signup")
    body = json.dumps(request.user.export_data(), indent=2)
    response = HttpResponse(body, content_type="application/json")
    name = f"codedrill-{request.user.username}.json"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_POST
def delete(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect("signup")
    form = DeleteAccountForm(request.user, request.POST)
    if not form.is_valid():
        return render(request, "accounts/account.html", {"delete_form": form}, status=400)
    user = request.user
    logout(request)
    user.delete()
    messages.success(request, "Your account and all its data are deleted.")
    return redirect("catalog")
