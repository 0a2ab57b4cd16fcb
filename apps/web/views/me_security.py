"""Password, API tokens, sessions and devices: the accounts app's services, as the API calls them."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from apps.accounts.models import ApiToken
from apps.accounts.services import passwords, sessions, tokens
from apps.accounts.session_selectors import device_find, devices_of
from apps.web.forms_me import PasswordForm, TokenForm
from apps.web.views.me import me_render


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


@sensitive_post_parameters("password", "new", "again")
@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def password_page(request: HttpRequest) -> HttpResponse:
    """Change your password: every other session and every API token of yours ends, as through the API."""
    form = PasswordForm(request.POST if request.method == "POST" else None, user=request.user)
    if request.method == "POST" and form.is_valid():
        ended = passwords.password_set(
            user=request.user, password=form.cleaned_data["new"], by=request.user, request=request
        )
        said = f"{_plural(ended['sessions'], 'other session')} and {_plural(ended['tokens'], 'API token')} ended"
        messages.success(request, f"Password changed; {said}.")
        return redirect("web:me-password")
    return me_render(
        request, "web/me_password.html", {"form": form}, here="me-password", status=400 if form.is_bound else 200
    )


def _tokens_page(request: HttpRequest, *, form: TokenForm, created: tuple | None = None, status: int = 200):
    listed = [d for d in devices_of(user=request.user, viewer=request.user) if d.kind == "token"]
    context = {"form": form, "tokens": listed, "created": created}
    return me_render(request, "web/me_tokens.html", context, here="me-tokens", status=status)


@sensitive_post_parameters("password")
@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def tokens_page(request: HttpRequest) -> HttpResponse:
    """Your API tokens; a new one's key is in this one answer only (never stored, never redirected with)."""
    if request.method == "GET":
        return _tokens_page(request, form=TokenForm(user=request.user))
    form = TokenForm(request.POST, user=request.user)
    if not form.is_valid():
        return _tokens_page(request, form=form, status=400)
    days = form.cleaned_data["expires_in_days"]
    token, raw_key = tokens.api_token_create(
        user=request.user,
        name=form.cleaned_data["name"],
        expires_at=timezone.now() + timedelta(days=days) if days else None,
        by=request.user,
        user_agent=sessions.request_user_agent(request),
        ip=sessions.request_ip(request),
    )
    return _tokens_page(request, form=TokenForm(user=request.user), created=(token, raw_key))


@login_required
@require_POST
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    found = device_find(viewer=request.user, device_id=f"token-{token_id}")
    if not isinstance(found, ApiToken) or found.user_id != request.user.pk:
        raise Http404("No such token.")
    tokens.token_revoke(token=found, by=request.user)
    messages.success(request, f"Token {found.name} revoked.")
    return redirect("web:me-sessions" if request.POST.get("from") == "sessions" else "web:me-tokens")


@login_required
@require_http_methods(["GET"])
def sessions_page(request: HttpRequest) -> HttpResponse:
    devices = devices_of(user=request.user, viewer=request.user)
    context = {"devices": devices, "current_key": request.session.session_key}
    return me_render(request, "web/me_sessions.html", context, here="me-sessions")


@login_required
@require_POST
def session_end(request: HttpRequest, session_id: int) -> HttpResponse:
    """End one signed-in session of yours; ending this one signs you out here."""
    found = device_find(viewer=request.user, device_id=f"session-{session_id}")
    if found is None or isinstance(found, ApiToken) or found.user_id != request.user.pk:
        raise Http404("No such session.")
    sessions.session_revoke(user=request.user, session_id=found.pk, by=request.user)
    if found.session_key == request.session.session_key:
        request.session.flush()
        return redirect(settings.LOGIN_URL)
    messages.success(request, "Session ended.")
    return redirect("web:me-sessions")


@login_required
@require_POST
def sign_out_everywhere(request: HttpRequest) -> HttpResponse:
    """End every session and API token of yours, this one too."""
    sessions.user_logout_everywhere(user=request.user, by=request.user)
    request.session.flush()
    return redirect(settings.LOGIN_URL)
