"""Languages and subtitles: the viewer's playback defaults, through the playback app's service as the API."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_http_methods

from apps.media.languages import language_name
from apps.playback.preference_selectors import playback_preference_of
from apps.playback.preferences import playback_preference_update
from apps.web.forms_me import PlaybackForm, service_errors_to
from apps.web.views.me import me_render


@login_required
@require_http_methods(["GET", "POST"])
def playback_page(request: HttpRequest) -> HttpResponse:
    saved = playback_preference_of(user=request.user)
    if request.method == "POST":
        form = PlaybackForm(request.POST)
        if form.is_valid():
            try:
                playback_preference_update(user=request.user, **form.cleaned_data)
            except ValidationError as exc:
                service_errors_to(form, exc)
            else:
                messages.success(request, "Languages and subtitles saved.")
                return redirect("web:me-playback")
    else:
        initial = {
            "audio_language": language_name(saved.audio_language) or saved.audio_language,
            "subtitle_language": language_name(saved.subtitle_language) or saved.subtitle_language,
            "subtitles": saved.subtitles,
        }
        form = PlaybackForm(initial=initial)
    status = 400 if form.is_bound else 200
    return me_render(request, "web/me_playback.html", {"form": form}, here="me-playback", status=status)
