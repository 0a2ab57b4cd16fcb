"""Browsing pages: a library's grid and the search across everything the viewer may see."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render

from apps.libraries.selectors import libraries_visible_to
from apps.media.selectors import catalogue_scopes
from apps.playback.watch_selectors import watch_states_visible_to
from apps.web.cards import item_card
from apps.web.library_listing import LETTERS, PAGE_SIZE, LibraryBrowseForm, filter_choices, titles_chosen
from apps.web.library_pager import LibraryPaginator
from apps.web.search import search_groups


def _query(params: QueryDict, **changes) -> str:
    """The query string of `params` with `changes` (a None value drops the parameter)."""
    query = params.copy()
    for name, value in changes.items():
        query.pop(name, None)
        if value is not None:
            query[name] = value
    return query.urlencode()


def _page_number(raw: str | None, last: int) -> tuple[int, str]:
    """The page asked for within 1..last, and what was wrong with the ask (empty when nothing)."""
    if raw in (None, ""):
        return 1, ""
    if not raw.isascii() or not raw.isdigit() or len(raw) > 9 or int(raw) < 1:
        return 1, "A page is a whole number from 1: showing the first page."
    if int(raw) > last:
        return last, f"There are {last} pages: showing the last one."
    return int(raw), ""


def _progress_mark(user, movies: list, cards: list[dict]) -> None:
    """The viewer's watched marks and progress bars on a page of movie cards, in one query."""
    states = watch_states_visible_to(user=user).filter(user=user, movie__in=[m.pk for m in movies])
    by_movie = {s.movie_id: s for s in states.select_related(None).only("movie_id", "watched", "position", "duration")}
    for movie, card in zip(movies, cards, strict=True):
        state = by_movie.get(movie.pk)
        if state is None:
            continue
        card["watched"] = state.watched
        if not state.watched and state.duration and state.position >= 30:
            card["percent"] = round(min(state.position / state.duration, 1) * 100)


@login_required
def library_page(request: HttpRequest, library_id: int) -> HttpResponse:
    """A library's poster grid: pages, sort, filters and the alphabet jump, all as plain links and a GET form."""
    library = libraries_visible_to(user=request.user).filter(pk=library_id).first()
    if library is None:
        raise Http404("No such library.")
    movies = library.kind != "shows"
    choices = filter_choices(user=request.user, library=library)
    form = LibraryBrowseForm(request.GET, choices=choices, movies=movies)
    valid = form.is_valid()
    used = form.choices_used()
    titles = titles_chosen(request=request, library=library, used=used)
    # The total depends on the valid filters only (not the order). Unfiltered, it is the one the choices counted
    # for this visibility class; filtered, one count per filter and viewer, kept until what they see changes.
    counted = sorted((k, v) for k, v in used.items() if k not in ("sort", "order"))
    paginator = LibraryPaginator(
        titles,
        PAGE_SIZE,
        count_key=(("web-library", library.pk, request.user.pk, counted), catalogue_scopes(user=request.user)),
        known_count=None if counted else choices["count"],
    )
    number, page_error = _page_number(request.GET.get("page"), paginator.num_pages)
    page = paginator.page(number)
    cards = [item_card(item, "movie" if movies else "show") for item in page.object_list]
    if movies:
        _progress_mark(request.user, page.object_list, cards)
    status = 200 if valid and not page_error else 400
    context = {
        "title": library.name,
        "library": library,
        "form": form,
        "page": page,
        "page_error": page_error,
        "cards": cards,
        "count": paginator.count,
        "letters": [{"letter": c, "query": _query(request.GET, letter=c, page=None)} for c in LETTERS],
        "letter": used.get("letter", ""),
        "all_letters_query": _query(request.GET, letter=None, page=None),
        "next_query": _query(request.GET, page=str(number + 1)) if page.has_next() else "",
        "previous_query": _query(request.GET, page=str(number - 1)) if page.has_previous() else "",
    }
    if request.headers.get("HX-Request") and request.GET.get("page"):
        return render(request, "web/parts/library_more.html", context, status=status)
    return render(request, "web/library.html", context, status=status)


@login_required
def search_page(request: HttpRequest) -> HttpResponse:
    """Search across everything visible, grouped by kind; typing asks again through htmx, the form works without."""
    raw = request.GET.get("q")
    groups, error = [], ""
    if raw is not None:
        try:
            groups = search_groups(user=request.user, query=raw)
        except ValueError as exc:
            error = f"Cannot search: {exc}."
    # htmx swaps only successful answers: while typing, the message replaces the results all the same.
    status = 400 if error and not request.headers.get("HX-Request") else 200
    context = {"title": "Search", "q": (raw or "")[:200], "groups": groups, "error": error, "asked": raw is not None}
    return render(request, "web/search.html", context, status=status)
