"""The titles, people and sets the search tests look for; built the same way on PostgreSQL and SQLite."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from apps.accounts.services import roles, users
from apps.libraries import services as library_services
from apps.media.models import Collection, Credit, Movie, Person, Show

MOVIES = (
    # title, original title, year, age
    ("The Matrix", "", 1999, 17),
    ("The Matrix Reloaded", "", 2003, 17),
    ("Amélie", "Le Fabuleux Destin d'Amélie Poulain", 2001, 12),
    ("Heat", "", 1995, 17),
    ("Heathers", "", 1988, 17),
    ("Spirited Away", "千と千尋の神隠し", 2001, 0),
    ("Straße der Sehnsucht", "", 1950, 0),
)


ROOT = Path(__file__).resolve().parents[3]


def search_world_make(root: str) -> dict:
    """Two libraries (one hidden from members), titles, people and a set; returns the users by name."""
    for folder in ("movies", "private", "shows"):
        os.makedirs(f"{root}/{folder}", exist_ok=True)
    shown = library_services.library_create(name="Movies", kind="movies", paths=[f"{root}/movies"])
    hidden = library_services.library_create(name="Private", kind="movies", paths=[f"{root}/private"])
    shows = library_services.library_create(name="Shows", kind="shows", paths=[f"{root}/shows"])
    # Custom roles see only what is granted to them (the built-in member role may see every library).
    family = roles.role_create(name="family", rank=16, by=None)
    kids = roles.role_create(name="kids", rank=15, by=None, max_parental_age=12)
    grants = {"family": ["view_library"], "kids": ["view_library"]}
    for library in (shown, shows):
        library_services.library_grants_set(library=library, roles=grants, users={}, by=None)
    movies = {}
    for title, original, year, age in MOVIES:
        movies[title] = Movie.objects.create(
            library=shown,
            match_key=f"{title}|{year}",
            title=title,
            original_title=original,
            year=year,
            age_rating=age,
            has_main_file=True,
        )
    Movie.objects.create(library=hidden, match_key="m", title="The Matrix Resurrections", year=2021, has_main_file=True)
    Show.objects.create(library=shows, match_key="s", title="Mr. Robot", year=2015, age_rating=17)
    matrix = Collection.objects.create(name="The Matrix Collection", tmdb_id="2344")
    Movie.objects.filter(title__startswith="The Matrix").update(collection=matrix)
    keanu = Person.objects.create(name="Keanu Reeves", tmdb_id="6384")
    audrey = Person.objects.create(name="Audrey Tautou", tmdb_id="3")
    Credit.objects.create(person=keanu, movie=movies["The Matrix"], kind="cast", character="Neo")
    Credit.objects.create(person=audrey, movie=movies["Amélie"], kind="cast", character="Amélie")
    member = users.user_create(username="member", password="x" * 12, by=None, role=family)
    kid = users.user_create(username="kid", password="x" * 12, by=None, role=kids)
    return {"member": member, "kid": kid}


def sqlite_script_run(*, tmp_path: Path, script: str) -> object:
    """`script` run by `manage.py shell` on a fresh embedded SQLite install (no Redis); what it printed after RESULT."""
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path}/embedded.sqlite3",
        "REVENGE_DATA_DIR": str(tmp_path / "data"),
        "SEARCH_ROOT": str(tmp_path / "sqlite-world"),
    }
    env.pop("REDIS_URL", None)
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True, cwd=ROOT, timeout=300)
    run = subprocess.run(
        [*manage, "shell", "-c", script], env=env, cwd=ROOT, timeout=120, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout.split("RESULT", 1)[1])
