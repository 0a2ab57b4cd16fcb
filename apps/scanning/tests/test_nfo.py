"""Kodi/Jellyfin NFO files: the usual shapes, Kodi's quirks, and hostile input that must fail safely."""

from __future__ import annotations

import contextlib
import hashlib
import os
import time
from datetime import date
from pathlib import Path

import pytest

from apps.scanning.nfo import NfoData, NfoError, parse_nfo, parse_nfo_bytes

MOVIE_NFO = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<movie>
  <title>The Matrix</title>
  <originaltitle>The Matrix</originaltitle>
  <sorttitle>Matrix 1</sorttitle>
  <year>1999</year>
  <plot><![CDATA[A hacker learns <the truth> about reality.]]></plot>
  <outline>Short outline.</outline>
  <tagline>Welcome to the Real World.</tagline>
  <runtime>136</runtime>
  <mpaa>Rated R</mpaa>
  <uniqueid type="imdb" default="true">tt0133093</uniqueid>
  <uniqueid type="tmdb">603</uniqueid>
  <genre>Action / Science Fiction</genre>
  <genre>action</genre>
  <genre>   </genre>
  <studio>Warner Bros. Pictures</studio>
  <studio>Village Roadshow Pictures</studio>
  <premiered>1999-03-30</premiered>
  <set><name>The Matrix Collection</name><title>Not the movie title</title></set>
  <actor><name>Keanu Reeves</name><role>Neo</role></actor>
</movie>
"""

TVSHOW_NFO = b"""<?xml version="1.0" encoding="UTF-8"?>
<tvshow>
  <title>Doctor Who</title>
  <plot>A time traveller.</plot>
  <mpaa>TV-PG</mpaa>
  <uniqueid type="tvdb">78804</uniqueid>
  <id>78804</id>
  <imdb_id>tt0436992</imdb_id>
  <premiered>2005-03-26</premiered>
  <genre>Drama</genre>
  <studio>BBC One</studio>
</tvshow>
"""

EPISODE_NFO = b"""<?xml version="1.0" encoding="UTF-8"?>
<episodedetails>
  <title>Rose</title>
  <season>1</season>
  <episode>1</episode>
  <aired>2005-03-26</aired>
  <plot>Rose Tyler meets the Doctor.</plot>
  <runtime>45 min</runtime>
  <uniqueid type="tvdb">183204</uniqueid>
</episodedetails>
"""

MULTI_EPISODE_NFO = b"""<?xml version="1.0" encoding="UTF-8"?>
<episodedetails>
  <title>The Empty Child</title>
  <season>1</season>
  <episode>9</episode>
  <aired>2005-05-21</aired>
</episodedetails>
<?xml version="1.0" encoding="UTF-8"?>
<episodedetails>
  <title>The Doctor Dances</title>
  <season>1</season>
  <episode>10</episode>
</episodedetails>
"""

XXE_NFO = b"""<?xml version="1.0"?>
<!DOCTYPE movie [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<movie><title>&xxe;</title></movie>
"""

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE movie [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<movie><title>&lol9;</title></movie>
"""


def write(tmp_path: Path, content: bytes | str, name: str = "movie.nfo") -> Path:
    path = tmp_path / name
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    return path


def test_movie(tmp_path):
    nfo = parse_nfo(write(tmp_path, MOVIE_NFO))
    assert nfo == NfoData(
        kind="movie",
        title="The Matrix",
        original_title="The Matrix",
        sort_title="Matrix 1",
        year=1999,
        plot="A hacker learns <the truth> about reality.",
        tagline="Welcome to the Real World.",
        runtime=136,
        certification="R",
        ids={"imdb": "tt0133093", "tmdb": "603"},
        genres=["Action", "Science Fiction"],
        studios=["Warner Bros. Pictures", "Village Roadshow Pictures"],
        premiered=date(1999, 3, 30),
    )


def test_tvshow(tmp_path):
    nfo = parse_nfo(write(tmp_path, TVSHOW_NFO, "tvshow.nfo"))
    assert (nfo.kind, nfo.title, nfo.plot, nfo.certification) == ("tvshow", "Doctor Who", "A time traveller.", "TV-PG")
    assert nfo.ids == {"tvdb": "78804", "imdb": "tt0436992"}
    assert (nfo.year, nfo.premiered) == (2005, date(2005, 3, 26))
    assert (nfo.genres, nfo.studios) == (["Drama"], ["BBC One"])
    assert nfo.season is None and nfo.episode is None


def test_episode(tmp_path):
    nfo = parse_nfo(write(tmp_path, EPISODE_NFO, "Doctor Who - S01E01.nfo"))
    assert (nfo.kind, nfo.title, nfo.season, nfo.episode, nfo.episode_end) == ("episode", "Rose", 1, 1, None)
    assert (nfo.aired, nfo.year, nfo.runtime) == (date(2005, 3, 26), 2005, 45)
    assert nfo.ids == {"tvdb": "183204"}


def test_multi_episode():
    nfo = parse_nfo_bytes(MULTI_EPISODE_NFO)
    assert (nfo.kind, nfo.title, nfo.season, nfo.episode, nfo.episode_end) == ("episode", "The Empty Child", 1, 9, 10)
    assert nfo.aired == date(2005, 5, 21)


def test_multi_episode_without_declarations_and_with_trailing_url():
    data = (
        b"<episodedetails><title>A</title><season>2</season><episode>3</episode></episodedetails>\n"
        b"<episodedetails><title>B</title><season>2</season><episode>4</episode></episodedetails>\n"
        b"<episodedetails><title>C</title><season>2</season><episode>5</episode></episodedetails>\n"
        b"https://thetvdb.com/?tab=episode&seriesid=78804&id=183204\n"
    )
    nfo = parse_nfo_bytes(data)
    assert (nfo.title, nfo.season, nfo.episode, nfo.episode_end) == ("A", 2, 3, 5)
    assert nfo.ids == {"tvdb": "183204"}


@pytest.mark.parametrize(
    ("content", "ids"),
    [
        (b"https://www.themoviedb.org/movie/603\n", {"tmdb": "603"}),
        (b"https://www.themoviedb.org/movie/603-the-matrix", {"tmdb": "603"}),
        (b"https://www.imdb.com/title/tt0133093/", {"imdb": "tt0133093"}),
        (b"  http://www.imdb.com/title/tt0133093/?ref_=fn_al_tt_1  \r\n", {"imdb": "tt0133093"}),
        (b"https://www.themoviedb.org/tv/1399", {"tmdb": "1399"}),
        (b"https://thetvdb.com/?tab=series&id=121361", {"tvdb": "121361"}),
        (
            b"https://www.imdb.com/title/tt0133093/\nhttps://www.themoviedb.org/movie/603",
            {"imdb": "tt0133093", "tmdb": "603"},
        ),
        (b"\xef\xbb\xbfhttps://www.imdb.com/title/tt0133093/", {"imdb": "tt0133093"}),
    ],
)
def test_url_only(content, ids):
    assert parse_nfo_bytes(content) == NfoData(kind="", ids=ids)


def test_scene_release_nfo_with_imdb_link():
    art = "  ▄▄▄  GROUP PRESENTS  ▄▄▄\n  Movie.....: The Matrix\n  IMDb......: https://www.imdb.com/title/tt0133093/\n"
    assert parse_nfo_bytes(art.encode("cp437", "replace")).ids == {"imdb": "tt0133093"}


def test_trailing_url_after_xml():
    data = b'<movie><title>The Matrix</title><uniqueid type="tmdb">603</uniqueid></movie>\nhttps://www.imdb.com/title/tt0133093/\n'
    nfo = parse_nfo_bytes(data)
    assert (nfo.kind, nfo.title) == ("movie", "The Matrix")
    assert nfo.ids == {"tmdb": "603", "imdb": "tt0133093"}


def test_xml_ids_win_over_trailing_url():
    data = b"<movie><imdbid>tt0133093</imdbid></movie>\nhttps://www.imdb.com/title/tt9999999/ & more <junk>"
    assert parse_nfo_bytes(data).ids == {"imdb": "tt0133093"}


def test_leading_url_before_xml():
    data = b"https://www.themoviedb.org/movie/603\n<movie><title>The Matrix</title></movie>"
    nfo = parse_nfo_bytes(data)
    assert (nfo.kind, nfo.title, nfo.ids) == ("movie", "The Matrix", {"tmdb": "603"})


@pytest.mark.parametrize(
    ("xml", "ids"),
    [
        ("<tmdbid>603</tmdbid><imdbid>tt0133093</imdbid>", {"tmdb": "603", "imdb": "tt0133093"}),
        ("<imdb_id>tt0133093</imdb_id>", {"imdb": "tt0133093"}),
        ("<id>tt0133093</id>", {"imdb": "tt0133093"}),
        ("<id>603</id>", {"tmdb": "603"}),
        ('<uniqueid type="TMDB">603</uniqueid><tmdbid>999</tmdbid>', {"tmdb": "603"}),
        ("<uniqueid>tt0133093</uniqueid>", {"imdb": "tt0133093"}),
        ('<uniqueid type="imdb">not-an-id</uniqueid>', {}),
        ('<uniqueid type="tmdb">abc</uniqueid>', {}),
        ('<uniqueid type="tmdb">  </uniqueid>', {}),
        ('<uniqueid type="tvdb">0</uniqueid>', {}),
        ('<uniqueid type="anidb">1234</uniqueid>', {"anidb": "1234"}),
    ],
)
def test_movie_ids(xml, ids):
    assert parse_nfo_bytes(f"<movie>{xml}</movie>".encode()).ids == ids


def test_show_numeric_id_is_tvdb():
    assert parse_nfo_bytes(b"<tvshow><id>78804</id></tvshow>").ids == {"tvdb": "78804"}


@pytest.mark.parametrize(
    ("mpaa", "expected"),
    [
        ("PG-13", "PG-13"),
        ("Rated PG-13", "PG-13"),
        ("rated R", "R"),
        ("US:PG-13", "US:PG-13"),
        ("de:FSK 12", "de:FSK 12"),
        ("  ", ""),
    ],
)
def test_certification(mpaa, expected):
    assert parse_nfo_bytes(f"<movie><mpaa>{mpaa}</mpaa></movie>".encode()).certification == expected


@pytest.mark.parametrize(
    ("xml", "year", "runtime"),
    [
        ("<year> 2010 </year><runtime>120 min</runtime>", 2010, 120),
        ("<year>2010-05-01</year><runtime>2h 10m</runtime>", 2010, 130),
        ("<year>unknown</year><runtime>unknown</runtime>", None, None),
        ("<year></year><premiered>2008-07-18</premiered>", 2008, None),
        ("<releasedate>2007-01-02</releasedate>", 2007, None),
        ("<aired>2006-03-04</aired>", 2006, None),
        ("<year>0</year><premiered>2001-01-01</premiered>", 2001, None),
        ("<year>99999999999999999999</year><runtime>-5</runtime>", None, None),
        ("<runtime>1 hour</runtime>", None, 60),
    ],
)
def test_lenient_numbers(xml, year, runtime):
    nfo = parse_nfo_bytes(f"<movie>{xml}</movie>".encode())
    assert (nfo.year, nfo.runtime) == (year, runtime)


@pytest.mark.parametrize(
    ("value", "expected"),
    [("2010-07-16", date(2010, 7, 16)), ("2010-7-6", date(2010, 7, 6)), ("2010-02-30", None), ("16/07/2010", None)],
)
def test_dates(value, expected):
    assert parse_nfo_bytes(f"<movie><premiered>{value}</premiered></movie>".encode()).premiered == expected


def test_episode_unknown_numbers():
    nfo = parse_nfo_bytes(b"<episodedetails><season>-1</season><episode>x</episode></episodedetails>")
    assert (nfo.season, nfo.episode) == (None, None)
    assert parse_nfo_bytes(b"<episodedetails><season>0</season><episode>1</episode></episodedetails>").season == 0


def test_empty_values_are_ignored():
    nfo = parse_nfo_bytes(b"<movie><title>  </title><title>Second</title><plot/><outline>Outline</outline></movie>")
    assert (nfo.title, nfo.plot) == ("Second", "Outline")


def test_genres_split_and_deduplicated():
    nfo = parse_nfo_bytes(b"<movie><genre>Action/Comedy</genre><genre>Comedy | Drama</genre><genre>/</genre></movie>")
    assert nfo.genres == ["Action", "Comedy", "Drama"]


@pytest.mark.parametrize(
    ("data", "title"),
    [
        ('<?xml version="1.0" encoding="ISO-8859-1"?><movie><title>Café</title></movie>'.encode("latin-1"), "Café"),
        ('<?xml version="1.0" encoding="windows-1252"?><movie><title>€uro</title></movie>'.encode("cp1252"), "€uro"),
        ("\ufeff<movie><title>Café</title></movie>".encode(), "Café"),
        ('<?xml version="1.0" encoding="UTF-16"?><movie><title>Ünï</title></movie>'.encode("utf-16"), "Ünï"),
        ("<movie><title>Ünï</title></movie>".encode("utf-16-be"), "Ünï"),
        ('<?xml version="1.0" encoding="no-such-codec"?><movie><title>Café</title></movie>'.encode(), "Café"),
        ('<?xml version="1.0" encoding="rot13"?><movie><title>Café</title></movie>'.encode(), "Café"),
        ("<movie><title>日本語</title></movie>".encode(), "日本語"),
        (b"\n\n  <movie><title>Bell\x07</title></movie>", "Bell"),
    ],
)
def test_encodings(data, title):
    assert parse_nfo_bytes(data).title == title


def test_invalid_utf8_is_replaced_not_fatal():
    """Decision: undecodable bytes become U+FFFD; one bad byte must not cost the whole NFO."""
    nfo = parse_nfo_bytes(b'<?xml version="1.0" encoding="UTF-8"?><movie><title>Caf\xe9 \xff\xfe</title></movie>')
    assert nfo.title == "Caf\ufffd \ufffd\ufffd"


def test_plain_doctype_is_allowed_and_not_fetched():
    data = b'<!DOCTYPE movie SYSTEM "http://127.0.0.1:9/never.dtd"><movie><title>X</title></movie>'
    started = time.perf_counter()
    assert parse_nfo_bytes(data).title == "X"
    assert time.perf_counter() - started < 1


def test_external_entity_is_refused(tmp_path):
    with pytest.raises(NfoError, match="external entities are not allowed") as caught:
        parse_nfo(write(tmp_path, XXE_NFO))
    assert "root:" not in str(caught.value)


def test_external_entity_content_never_appears(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-VALUE")
    data = f'<!DOCTYPE movie [<!ENTITY xxe SYSTEM "file://{secret}">]><movie><title>&xxe;</title></movie>'
    with pytest.raises(NfoError) as caught:
        parse_nfo_bytes(data.encode())
    assert "TOP-SECRET-VALUE" not in str(caught.value)


def test_parameter_entity_is_refused():
    data = b'<!DOCTYPE movie [<!ENTITY % remote SYSTEM "http://127.0.0.1:9/x.dtd"> %remote;]><movie/>'
    with pytest.raises(NfoError, match="external entities are not allowed"):
        parse_nfo_bytes(data)


def test_billion_laughs_is_refused_fast():
    started = time.perf_counter()
    with pytest.raises(NfoError, match="entity expansion is not allowed"):
        parse_nfo_bytes(BILLION_LAUGHS)
    assert time.perf_counter() - started < 1


def test_internal_entity_is_refused():
    with pytest.raises(NfoError, match="entity expansion is not allowed"):
        parse_nfo_bytes(b'<!DOCTYPE movie [<!ENTITY t "Title">]><movie><title>&t;</title></movie>')


def test_entity_in_later_multi_episode_root_cannot_sneak_in():
    data = (
        b"<episodedetails><episode>1</episode></episodedetails>\n"
        b'<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
        b"<episodedetails><title>&xxe;</title><episode>2</episode></episodedetails>"
    )
    with pytest.raises(NfoError) as caught:
        parse_nfo_bytes(data)
    assert "root:" not in str(caught.value)


def test_too_large_file_is_refused(tmp_path):
    path = write(tmp_path, b"<movie>" + b" " * 2_000_000 + b"</movie>")
    with pytest.raises(NfoError, match=r"file too large \(2000015 bytes"):
        parse_nfo(path)
    small = write(tmp_path, b"<movie><title>Fits</title></movie>", "small.nfo")
    assert parse_nfo(small, max_bytes=100).title == "Fits"
    with pytest.raises(NfoError, match="file too large"):
        parse_nfo(small, max_bytes=10)


def test_missing_file(tmp_path):
    with pytest.raises(NfoError, match="cannot read file"):
        parse_nfo(tmp_path / "nope.nfo")


def test_directory_instead_of_file(tmp_path):
    with pytest.raises(NfoError, match="not a regular file"):
        parse_nfo(tmp_path)


def test_fifo_does_not_block(tmp_path):
    fifo = tmp_path / "movie.nfo"
    os.mkfifo(fifo)
    started = time.perf_counter()
    with pytest.raises(NfoError, match="not a regular file"):
        parse_nfo(fifo)
    assert time.perf_counter() - started < 1


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty file"),
        (b"   \n\t\r\n", "empty file"),
        (b"\xef\xbb\xbf", "empty file"),
        (b"<movie><title>Unclosed</movie", "malformed XML"),
        (b"<movie><title>Unclosed", "malformed XML"),
        (b"<movie>&undefined;</movie>", "malformed XML"),
        (b"<foo><title>x</title></foo>", r"not an NFO \(root <foo>\)"),
        (b"<musicvideo/>", r"not an NFO \(root <musicvideo>\)"),
        (b"just some text\n", "not an NFO"),
        (b"\x00\x01\x02\x03", "empty file"),
        (b"<episodedetails/><movie", "malformed XML"),
    ],
)
def test_unusable(data, reason):
    with pytest.raises(NfoError, match=reason):
        parse_nfo_bytes(data)


@pytest.mark.parametrize("seed", range(20))
def test_binary_junk_only_raises_nfo_error(seed):
    data = b"".join(hashlib.sha512(f"{seed}-{i}".encode()).digest() for i in range(64))
    with pytest.raises(NfoError):
        parse_nfo_bytes(data)


@pytest.mark.parametrize(
    "data",
    [
        b"<movie>" + b"<a>" * 100_000 + b"</a>" * 100_000 + b"</movie>",
        b"<movie>" + b"<genre>g / h</genre>" * 50_000 + b"</movie>",
        b"<episodedetails><episode>1</episode></episodedetails>" * 20_000,
        b"<movie></movie>" + b"<?xml " * 200_000,
        b"thetvdb.com/?" * 100_000,
        b"<movie>" + b"</movie>" * 200_000,
        b"\xff\xfe" + os.urandom(100_000),
        b"<" * 1_000_000,
    ],
)
def test_hostile_shapes_stay_fast(data):
    started = time.perf_counter()
    with contextlib.suppress(NfoError):
        parse_nfo_bytes(data)
    assert time.perf_counter() - started < 3
