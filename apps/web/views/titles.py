"""Detail pages: a movie, a show, a season's episodes, a person; 404 for anything the viewer may not see."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import F, Prefetch
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from apps.media.api.catalogue_views import movies_with_details, shows_with_details
from apps.media.images import images_payload
from apps.media.models import Artwork
from apps.media.selectors import (
    credits_visible_to,
    episodes_visible_to,
    movies_visible_to,
    people_visible_to,
    person_credits_of,
    seasons_visible_to,
    shows_visible_to,
)
from apps.playback import watch
from apps.playback.watch_selectors import watch_states_visible_to
from apps.web.cards import POSTER, STILL, card, episode_code, image_src, title_url, watch_url
from apps.web.detail_parts import cast_cards, clock, file_version, runtime_text


def _found(queryset, pk: int):
    item = queryset.filter(pk=pk).first()
    if item is None:
        raise Http404("Nothing here that you may see.")
    return item


def _title_context(item, kind: str) -> dict:
    images = images_payload(item.artwork.all())
    cast, makers = cast_cards(item.credits.all())
    return {
        "title": str(item),
        "item": item,
        "kind": kind,
        "poster": image_src(images.get("poster"), POSTER),
        "backdrop": image_src(images.get("fanart"), (1280, 720)),
        "genres": [g.name for g in item.genres.all()],
        "cast": cast,
        "makers": makers,
    }


@login_required
def movie_page(request: HttpRequest, movie_id: int) -> HttpResponse:
    movie = _found(movies_with_details(movies=movies_visible_to(user=request.user)), movie_id)
    state = watch_states_visible_to(user=request.user).filter(user=request.user, movie=movie).first()
    main_files = [f for f in movie.files.all() if not f.extra_type]
    context = {
        **_title_context(movie, "movie"),
        "runtime": runtime_text(movie.runtime),
        "versions": [file_version(f, n) for n, f in enumerate(main_files, start=1)],
        "watched": bool(state and state.watched),
        "resume": clock(state.position) if state and not state.watched and state.position >= 30 else "",
        "play_url": watch_url("movie", movie.pk),
    }
    return render(request, "web/movie.html", context)


def _watched_mark(request: HttpRequest, *, item, kind: str, back: str) -> HttpResponse:
    """Mark watched or unwatched through the playback service the API uses; back to the page with a message."""
    value = request.POST.get("watched")
    if value not in ("yes", "no"):
        messages.error(request, "Say whether it is watched (yes or no).")
        return redirect(back)
    watch.watched_set(user=request.user, watched=value == "yes", **{kind: item})
    name = item.title if kind == "movie" else str(item)
    messages.success(request, f"Marked {name} {'watched' if value == 'yes' else 'unwatched'}.")
    return redirect(back)


@require_POST
@login_required
def movie_watched(request: HttpRequest, movie_id: int) -> HttpResponse:
    movie = _found(movies_visible_to(user=request.user), movie_id)
    return _watched_mark(request, item=movie, kind="movie", back=reverse("web:movie", args=[movie.pk]))


@require_POST
@login_required
def episode_watched(request: HttpRequest, episode_id: int) -> HttpResponse:
    episode = _found(episodes_visible_to(user=request.user), episode_id)
    back = reverse("web:season", args=[episode.show_id, episode.season.season_number])
    return _watched_mark(request, item=episode, kind="episode", back=f"{back}#episode-{episode.pk}")


@login_required
def show_page(request: HttpRequest, show_id: int) -> HttpResponse:
    show = _found(shows_with_details(shows=shows_visible_to(user=request.user)), show_id)
    seasons = [
        card(
            title=season.title or (f"Season {season.season_number}" if season.season_number else "Specials"),
            href=reverse("web:season", args=[show.pk, season.season_number]),
            image=images_payload(season.artwork.all()).get("poster")
            or images_payload(show.artwork.all()).get("poster"),
            sub=f"{season.episode_count} episode{'s' if season.episode_count != 1 else ''}",
        )
        for season in show.seasons.all()
    ]
    return render(request, "web/show.html", {**_title_context(show, "show"), "seasons": seasons})


@login_required
def season_page(request: HttpRequest, show_id: int, season_number: int) -> HttpResponse:
    show = _found(shows_visible_to(user=request.user).prefetch_related("artwork"), show_id)
    season = seasons_visible_to(user=request.user).filter(show=show, season_number=season_number).first()
    if season is None:
        raise Http404("No such season.")
    stills = Prefetch("artwork", queryset=Artwork.objects.filter(kind=Artwork.Kind.THUMB))
    episodes = list(episodes_visible_to(user=request.user).filter(season=season).prefetch_related(stills))
    states = {
        s.episode_id: s
        for s in watch_states_visible_to(user=request.user).filter(user=request.user, episode__in=episodes)
    }
    rows = []
    for episode in episodes:
        state = states.get(episode.pk)
        percent = state.position / state.duration * 100 if state and state.duration and not state.watched else None
        rows.append(
            {
                "episode": episode,
                "code": episode_code(season.season_number, episode.episode_number),
                "still": image_src(images_payload(episode.artwork.all()).get("thumb"), STILL),
                "watched": bool(state and state.watched),
                "percent": round(percent) if percent and percent >= 1 else None,
                "play_url": watch_url("episode", episode.pk),
                "runtime": runtime_text(episode.runtime),
            }
        )
    context = {
        "title": f"{show.title} · Season {season.season_number}",
        "show": show,
        "season": season,
        "episodes": rows,
        "poster": image_src(images_payload(show.artwork.all()).get("poster"), POSTER),
    }
    return render(request, "web/season.html", context)


@login_required
def person_page(request: HttpRequest, person_id: int) -> HttpResponse:
    profiles = Prefetch("artwork", queryset=Artwork.objects.filter(kind=Artwork.Kind.PROFILE))
    person = _found(people_visible_to(user=request.user).prefetch_related(profiles), person_id)
    credits = person_credits_of(credits=credits_visible_to(user=request.user).filter(person=person))
    year = Coalesce(F("movie__year"), F("show__year"))
    titles: dict[tuple[str, int], dict] = {}
    for credit in credits.order_by(year.desc(nulls_last=True), "kind", "order", "id"):
        kind, item = ("movie", credit.movie) if credit.movie_id else ("show", credit.show)
        part = credit.character or credit.job
        if (kind, item.pk) in titles:
            continue
        titles[(kind, item.pk)] = card(
            title=item.title,
            href=title_url(kind, item.pk),
            image=images_payload(item.artwork.all()).get("poster"),
            sub=" · ".join(str(p) for p in (item.year, part) if p),
        )
    context = {
        "title": person.name,
        "person": person,
        "photo": image_src(images_payload(person.artwork.all()).get("profile"), (342, 513)),
        "cards": list(titles.values()),
    }
    return render(request, "web/person.html", context)
