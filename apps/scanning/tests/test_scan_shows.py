"""Scanning TV libraries: shows, seasons, episodes, specials, multi-episode and date-based files."""

from __future__ import annotations

import pytest

from apps.libraries import services
from apps.media.models import Artwork, Episode, Season, Show
from apps.scanning import services as scanning

pytestmark = pytest.mark.django_db(transaction=True)

TVSHOW_NFO = b"""<?xml version="1.0" encoding="UTF-8"?>
<tvshow><title>Doctor Who</title><year>2005</year><plot>A time traveller.</plot>
<uniqueid type="tvdb">78804</uniqueid><genre>Drama</genre></tvshow>
"""


@pytest.fixture
def shows(tmp_path, place):
    root = tmp_path / "tv"
    place(root, "Doctor Who (2005)/tvshow.nfo", content=TVSHOW_NFO)
    place(root, "Doctor Who (2005)/poster.jpg", content=b"\xff\xd8")
    place(root, "Doctor Who (2005)/season01-poster.jpg", content=b"\xff\xd8")
    place(root, "Doctor Who (2005)/Season 01/Doctor Who (2005) - S01E01 - Rose.mkv")
    place(root, "Doctor Who (2005)/Season 01/Doctor Who (2005) - S01E02-E03 - Double.mkv")
    place(root, "Doctor Who (2005)/Season 01/Doctor Who (2005) - S01E01 - Rose-thumb.jpg", content=b"\xff\xd8")
    place(root, "Doctor Who (2005)/Specials/Doctor Who (2005) - S00E01 - The Christmas Invasion.mkv")
    place(root, "The Daily Show/Season 2024/The Daily Show - 2024-01-15 - Guest.mkv")
    place(root, "Breaking.Bad.S02E05.720p.HDTV.x264-GRP.mkv")
    return services.library_create(name="TV", kind="shows", paths=[str(root)]), root


def test_shows_seasons_and_episodes(shows, received):
    library, root = shows
    result = scanning.scan_run(scan=scanning.scan_begin(library=library))
    assert (result.seen, result.added, result.errors) == (5, 5, 0)
    assert sorted(Show.objects.values_list("title", flat=True)) == ["Breaking Bad", "Doctor Who", "The Daily Show"]

    doctor = Show.objects.get(title="Doctor Who")
    assert (doctor.year, doctor.tvdb_id, doctor.overview) == (2005, "78804", "A time traveller.")
    assert sorted(doctor.seasons.values_list("season_number", flat=True)) == [0, 1]
    rose = Episode.objects.get(show=doctor, season__season_number=1, episode_number=1)
    assert rose.title == "Rose"
    double = Episode.objects.get(show=doctor, episode_number=2)
    assert double.episode_end == 3
    special = Episode.objects.get(show=doctor, season__season_number=0)
    assert special.episode_number == 1
    assert set(Artwork.objects.filter(show=doctor).values_list("kind", flat=True)) == {"poster"}
    season_one = Season.objects.get(show=doctor, season_number=1)
    assert Artwork.objects.filter(season=season_one, kind="poster").exists()
    assert Artwork.objects.filter(episode=rose, kind="thumb").exists()

    daily = Episode.objects.get(show__title="The Daily Show")
    assert str(daily.air_date) == "2024-01-15"
    breaking = Episode.objects.get(show__title="Breaking Bad")
    assert (breaking.season.season_number, breaking.episode_number) == (2, 5)
    assert [e.name for e in received].count("episode.added") == 5


def test_removing_the_last_episode_removes_season_and_show(shows):
    library, root = shows
    scanning.scan_run(scan=scanning.scan_begin(library=library))
    (root / "Breaking.Bad.S02E05.720p.HDTV.x264-GRP.mkv").unlink()
    result = scanning.scan_run(scan=scanning.scan_begin(library=library))
    assert result.removed == 1
    assert not Show.objects.filter(title="Breaking Bad").exists()
    assert not Season.objects.filter(show__title="Breaking Bad").exists()
