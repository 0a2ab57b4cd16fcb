"""The permission matrix's world: two libraries (one granted to everyone, one to nobody), rated items, one
user per role, and fresh objects of each kind for each principal (of every app's API)."""

from __future__ import annotations

from types import SimpleNamespace

from django.utils import timezone

from apps.accounts.models import Role
from apps.accounts.services import roles, tokens, users
from apps.audit.models import Activity
from apps.core.testing.catalogue import MOVIE_NFO, SHOW_NFO, session_for
from apps.core.testing.images import image_bytes
from apps.libraries import services as library_services
from apps.libraries.models import LibraryScan
from apps.media.images import DEFAULT_TYPE
from apps.media.models import (
    Artwork,
    Credit,
    DuplicateGroup,
    DuplicateMember,
    Episode,
    MediaFile,
    Movie,
    Person,
    Season,
    Show,
)
from apps.metadata.images.store import image_store
from apps.notifications import services as notification_services
from apps.notifications.models import Notification, NotificationDelivery, NotificationEvent
from apps.playback.models import PlaybackSession
from apps.requests.models import ArrServer, MediaRequest
from apps.scanning import services as scanning

UNREACHABLE = "http://hooks.invalid/hook"  # a name that never resolves: a test send fails at once


class World:
    """Two libraries (one granted to everyone, one to nobody), rated items, one user per role."""

    def __init__(self, tmp_path, place) -> None:
        granted, hidden = tmp_path / "granted", tmp_path / "hidden"
        self.spare_folder = str(tmp_path / "spare")
        (tmp_path / "spare").mkdir()
        place(granted, "Family (2001)/Family (2001).mkv")
        place(
            granted, "Family (2001)/movie.nfo", content=MOVIE_NFO.format(title="Family", year=2001, mpaa="PG").encode()
        )
        place(granted, "Adult (2002)/Adult (2002).mkv")
        place(granted, "Adult (2002)/movie.nfo", content=MOVIE_NFO.format(title="Adult", year=2002, mpaa="R").encode())
        place(hidden, "Hidden (2003)/Hidden (2003).mkv")
        self.movies = library_services.library_create(name="Granted movies", kind="movies", paths=[str(granted)])
        self.hidden_movies = library_services.library_create(name="Hidden movies", kind="movies", paths=[str(hidden)])
        tv, hidden_tv = tmp_path / "tv", tmp_path / "hidden-tv"
        place(tv, "Kind Show/tvshow.nfo", content=SHOW_NFO.format(title="Kind Show", mpaa="TV-PG").encode())
        place(tv, "Kind Show/Season 01/Kind Show - S01E01.mkv")
        place(tv, "Grim Show/tvshow.nfo", content=SHOW_NFO.format(title="Grim Show", mpaa="TV-MA").encode())
        place(tv, "Grim Show/Season 01/Grim Show - S01E01.mkv")
        place(hidden_tv, "Secret Show/Season 01/Secret Show - S01E01.mkv")
        self.shows = library_services.library_create(name="Granted TV", kind="shows", paths=[str(tv)])
        self.hidden_shows = library_services.library_create(name="Hidden TV", kind="shows", paths=[str(hidden_tv)])
        for library in (self.movies, self.hidden_movies, self.shows, self.hidden_shows):
            scanning.scan_run(scan=scanning.scan_begin(library=library))

        self.roles = {role.name: role for role in Role.objects.select_related("group")}
        kids = roles.role_create(name="kids", rank=15, by=None, max_parental_age=10)
        self.roles["kids"] = kids
        self.disposable_role = roles.role_create(name="disposable", rank=5, by=None)
        granter = users.user_create(username="granter", password="x" * 12, by=None, role=self.roles[Role.ADMIN])
        everyone = {"user": ["view_library", "download_library"], "guest": ["view_library"], "kids": ["view_library"]}
        for library in (self.movies, self.shows):
            library_services.library_grants_set(library=library, roles=everyone, users={}, by=granter)
        for library in (self.hidden_movies, self.hidden_shows):
            library_services.library_grants_set(library=library, roles={}, users={}, by=granter)

        self.users = {
            name: users.user_create(username=name, password="x" * 12, by=None, role=self.roles[name])
            for name in ("guest", "kids", "user", "moderator", "admin")
        }
        self.scans = {
            "granted": LibraryScan.objects.filter(library=self.movies).first(),
            "hidden": LibraryScan.objects.filter(library=self.hidden_movies).first(),
        }

    def objects(self, kind: str, who: str) -> dict:
        family, adult = Movie.objects.get(title="Family"), Movie.objects.get(title="Adult")
        hidden = Movie.objects.get(title="Hidden")
        kind_show, grim, secret = (Show.objects.get(title=t) for t in ("Kind Show", "Grim Show", "Secret Show"))
        if kind == "movie":
            return {"granted": family, "hidden": hidden, "restricted": adult}
        if kind == "file":
            return {case: MediaFile.objects.get(movie=m) for case, m in self.objects("movie", who).items()}
        if kind == "show":
            return {"granted": kind_show, "hidden": secret, "restricted": grim}
        if kind == "episode":
            return {case: Episode.objects.get(show=s) for case, s in self.objects("show", who).items()}
        if kind == "library":
            return {"granted": self.movies, "hidden": self.hidden_movies}
        if kind == "person":
            # Someone credited on each case's movie: they are seen exactly when the movie is.
            found = {}
            for case, movie in self.objects("movie", who).items():
                person, _ = Person.objects.get_or_create(name=f"Actor in {movie.title}")
                Credit.objects.get_or_create(person=person, movie=movie, kind="cast")
                found[case] = person
            return found
        if kind.endswith("_image"):
            return self.with_images(kind.removesuffix("_image"), who)
        if kind == "scan":
            return self.scans
        if kind == "role":
            return {"granted": self.disposable_role}
        if kind == "duplicate":
            return self.duplicate_groups(who)
        if kind == "arrserver":
            server = ArrServer.objects.create(
                kind="radarr",
                name=f"matrix-{who}-{ArrServer.objects.count()}",
                base_url="http://127.0.0.1:9",
                api_key="k",
            )
            return {"granted": server}
        if kind == "mediarequest":
            return self.media_requests(who)
        if kind == "activity":
            return {"granted": Activity.objects.order_by("pk").first()}
        if kind.startswith("notification"):
            return notification_objects(kind, who, self.users)
        if kind == "hls":
            return playback_objects(kind, who, self.users)
        if kind == "device":
            owners = self.objects("user", f"{who}-device")
            owners["own"] = self.users.get(who, owners["granted"])
            made = {case: tokens.api_token_create(user=u, name="tv")[0] for case, u in owners.items()}
            return {case: SimpleNamespace(pk=f"token-{token.pk}") for case, token in made.items()}
        if kind == "playback_session":
            owners = self.objects("user", f"{who}-session")
            owners["own"] = self.users.get(who, owners["granted"])
            family = Movie.objects.get(title="Family")
            return {case: session_for(owner, movie=family) for case, owner in owners.items()}
        if kind == "user":
            # Fresh targets per principal, so that one's delete does not change the next one's answer.
            plain = users.user_create(username=f"plain-{who}", password="x" * 12, by=None)
            boss = users.user_create(username=f"boss-{who}", password="x" * 12, by=None, role=self.roles[Role.ADMIN])
            return {"granted": plain, "hidden": boss}
        raise AssertionError(kind)

    def media_requests(self, who: str) -> dict:
        """Fresh pending requests per principal: their own, a plain user's and an admin's; a default Radarr."""
        if not ArrServer.objects.filter(kind="radarr", is_default=True).exists():
            ArrServer.objects.create(
                kind="radarr", name="matrix-default", base_url="http://127.0.0.1:9", api_key="k", is_default=True
            )
        plain = users.user_create(username=f"asker-{who}", password="x" * 12, by=None)
        owners = {"own": self.users.get(who, plain), "granted": plain, "hidden": self.users["admin"]}
        found = {}
        for case, owner in owners.items():
            # Ids only grow, even after a principal's DELETE: every title is a new one.
            number = 10_001 + (MediaRequest.objects.order_by("-pk").values_list("pk", flat=True).first() or 0)
            found[case] = MediaRequest.objects.create(kind="movie", tmdb_id=number, title="T", requested_by=owner)
        return found

    def with_images(self, owner: str, who: str) -> dict:
        """The items (seasons, credited people) of each case, each with a fetched image of its default type."""
        if owner == "season":
            found = {case: Season.objects.filter(show=s).first() for case, s in self.objects("show", who).items()}
        else:
            found = self.objects(owner, who)
        stored = image_store(data=image_bytes(200, 300))
        for item in found.values():
            Artwork.objects.get_or_create(
                **{owner: item}, kind=DEFAULT_TYPE[owner], source="local", path="/nowhere.jpg",
                defaults={"content_hash": stored.content_hash, "width": stored.width, "height": stored.height},
            )  # fmt: skip
        return found

    def duplicate_groups(self, who: str) -> dict:
        """Fresh groups per principal: one in each movie library, two files each (a row without a file will do)."""
        groups, self.duplicate_files = {}, {}
        for case, library in (("granted", self.movies), ("hidden", self.hidden_movies)):
            files = list(MediaFile.objects.filter(library=library, movie__isnull=False)[:2])
            if len(files) < 2:
                spare = MediaFile.objects.create(library=library, path=f"/nowhere/{who}.mkv", size=1, mtime_ns=1)
                files.append(spare)
            group = DuplicateGroup.objects.create(library=library, kind="title", signature=f"matrix-{who}-{case}")
            DuplicateMember.objects.bulk_create([DuplicateMember(group=group, file=f) for f in files])
            groups[case], self.duplicate_files[case] = group, files[0].pk
        return groups


def notification_objects(kind: str, who: str, users: dict) -> dict:
    """Fresh objects per principal: "own" belongs to `who`, "granted" to someone else (or is the operator's)."""
    owner = users.get(who) or users["user"]
    other = users["guest"] if owner != users["guest"] else users["user"]
    if kind == "notification_agent":
        agent = notification_services.agent_create(
            name=f"agent-{who}", kind="webhook", url=UNREACHABLE, secret="s" * 20
        )
        return {"granted": agent}
    if kind == "notification_channel":
        return {case: _channel(user, who) for case, user in (("own", owner), ("granted", other))}
    event = NotificationEvent.objects.create(
        event_id=f"matrix-{kind}-{who}",
        name="system.startup",
        category="system",
        payload={},
        occurred_at=timezone.now(),
    )
    if kind == "notification_delivery":
        agent = notification_services.agent_create(name=f"log-{who}", kind="webhook", url=UNREACHABLE, secret="s" * 20)
        return {
            "granted": NotificationDelivery.objects.create(event=event, agent=agent, next_attempt_at=event.occurred_at)
        }
    if kind == "notification":
        return {
            case: Notification.objects.create(user=user, event=event, name=event.name, title="Revenge web started")
            for case, user in (("own", owner), ("granted", other))
        }
    raise AssertionError(kind)


def _channel(user, who: str):
    return notification_services.agent_create(
        name=f"ch-{who}", kind="ntfy", owner=user, url="ntfy://ntfy.invalid/matrix"
    )


def _session(user) -> PlaybackSession:
    media_file = MediaFile.objects.get(movie=Movie.objects.get(title="Family"))
    return PlaybackSession.objects.create(
        user=user, media_file=media_file, movie_id=media_file.movie_id, title="Family", method="transcode", duration=1
    )


def playback_objects(kind: str, who: str, users: dict) -> dict:
    """HLS URLs: a token nobody has, and a live session's (the token is the credential, whoever holds it)."""
    assert kind == "hls", kind
    return {"unknown": SimpleNamespace(pk="no-such-token"), "own": SimpleNamespace(pk=_session(users["user"]).token)}


def fresh_role(world, who):
    return roles.role_create(name=f"disposable-{who}-{Role.objects.count()}", rank=5, by=None)
