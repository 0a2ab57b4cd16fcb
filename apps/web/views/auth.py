"""Sign in and out of the web app: the same session login, lockout and activity records as the API's."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from apps.accounts.services import lockout, sessions
from apps.web.forms import SignInForm


def _next_url(request: HttpRequest) -> str:
    """Where to go after signing in: a page of this site only (never an open redirect)."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if safe and target.startswith("/") else "/"


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def login_page(request: HttpRequest) -> HttpResponse:
    """The sign-in form; a lockout is told in the form with the API's message and status."""
    if request.user.is_authenticated and request.method == "GET":
        return redirect(_next_url(request))
    form = SignInForm(request.POST or None)
    status, error = 200, None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        user = sessions.session_login(request=request, username=data["username"], password=data["password"])
        if getattr(request, "axes_locked_out", False):
            # Told here, in the form; the flag cleared so axes' middleware does not swap in its own page.
            request.axes_locked_out = False
            error, status, retry_after = lockout.lockout_refusal(request, {"username": data["username"]})
            response = _form(request, form, error, status)
            if retry_after is not None:
                response["Retry-After"] = str(retry_after)
            return response
        if user is not None:
            if not data["remember"]:
                request.session.set_expiry(0)  # ends when the browser closes
            return redirect(_next_url(request))
        error, status = "Invalid username or password.", 401
    elif request.method == "POST":
        error, status = "Enter your username and password.", 400
    return _form(request, form, error, status)


def _form(request: HttpRequest, form: SignInForm, error: str | None, status: int) -> HttpResponse:
    context = {"form": form, "error": error, "next": _next_url(request), "title": "Sign in"}
    return render(request, "web/login.html", context, status=status)


@require_POST
@csrf_protect
def logout_page(request: HttpRequest) -> HttpResponse:
    """Sign out (POST only, so a link on another site cannot sign anyone out)."""
    if request.user.is_authenticated:
        sessions.request_logout(request=request)
    return redirect(settings.LOGIN_URL)
