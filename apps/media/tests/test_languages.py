"""Language tokens from names, NFO files and probes normalise to ISO 639-2/B."""

from __future__ import annotations

import pytest

from apps.media.languages import _LANGUAGES, language_name, language_normalize

# 639-1 code, 639-2/B code, English name: the languages media libraries meet most.
COMMON = [
    ("en", "eng", "English"),
    ("de", "ger", "German"),
    ("fr", "fre", "French"),
    ("es", "spa", "Spanish"),
    ("it", "ita", "Italian"),
    ("pt", "por", "Portuguese"),
    ("nl", "dut", "Dutch"),
    ("sv", "swe", "Swedish"),
    ("no", "nor", "Norwegian"),
    ("da", "dan", "Danish"),
    ("fi", "fin", "Finnish"),
    ("is", "ice", "Icelandic"),
    ("pl", "pol", "Polish"),
    ("cs", "cze", "Czech"),
    ("sk", "slo", "Slovak"),
    ("hu", "hun", "Hungarian"),
    ("ro", "rum", "Romanian"),
    ("bg", "bul", "Bulgarian"),
    ("el", "gre", "Greek"),
    ("ru", "rus", "Russian"),
    ("uk", "ukr", "Ukrainian"),
    ("sr", "srp", "Serbian"),
    ("hr", "hrv", "Croatian"),
    ("sl", "slv", "Slovenian"),
    ("tr", "tur", "Turkish"),
    ("ar", "ara", "Arabic"),
    ("he", "heb", "Hebrew"),
    ("fa", "per", "Persian"),
    ("hi", "hin", "Hindi"),
    ("bn", "ben", "Bengali"),
    ("ta", "tam", "Tamil"),
    ("te", "tel", "Telugu"),
    ("th", "tha", "Thai"),
    ("vi", "vie", "Vietnamese"),
    ("id", "ind", "Indonesian"),
    ("ms", "may", "Malay"),
    ("tl", "tgl", "Tagalog"),
    ("zh", "chi", "Chinese"),
    ("ja", "jpn", "Japanese"),
    ("ko", "kor", "Korean"),
    ("et", "est", "Estonian"),
    ("lv", "lav", "Latvian"),
    ("lt", "lit", "Lithuanian"),
    ("ca", "cat", "Catalan"),
    ("eu", "baq", "Basque"),
    ("gl", "glg", "Galician"),
    ("ga", "gle", "Irish"),
    ("cy", "wel", "Welsh"),
]


@pytest.mark.parametrize(("one", "bib", "name"), COMMON)
def test_common_languages_by_code_and_name(one, bib, name):
    assert language_normalize(one) == bib
    assert language_normalize(one.upper()) == bib
    assert language_normalize(bib) == bib
    assert language_normalize(name) == bib
    assert language_normalize(name.upper()) == bib
    assert language_name(bib) == name
    assert language_name(one) == name


@pytest.mark.parametrize(
    ("token", "expected"),
    [
        ("deu", "ger"),
        ("fra", "fre"),
        ("zho", "chi"),
        ("nld", "dut"),
        ("ces", "cze"),
        ("slk", "slo"),
        ("ron", "rum"),
        ("ell", "gre"),
        ("fas", "per"),
        ("msa", "may"),
        ("eus", "baq"),
        ("cym", "wel"),
        ("isl", "ice"),
        ("sqi", "alb"),
        ("mkd", "mac"),
    ],
)
def test_terminology_codes_become_bibliographic(token, expected):
    assert language_normalize(token) == expected


@pytest.mark.parametrize(
    ("token", "expected"),
    [
        ("pt-BR", "por"),
        ("pt_br", "por"),
        ("zh-Hans", "chi"),
        ("zh-Hant-TW", "chi"),
        ("en-US", "eng"),
        ("es-419", "spa"),
        ("English (US)", "eng"),
        ("Portuguese (Brazil)", "por"),
        ("Spanish; Castilian", "spa"),
        ("Chinese (Simplified)", "chi"),
    ],
)
def test_region_and_script_subtags_are_dropped(token, expected):
    assert language_normalize(token) == expected


@pytest.mark.parametrize(
    ("token", "expected"),
    [
        ("english", "eng"),
        ("German", "ger"),
        ("deutsch", "ger"),
        ("DEUTSCH", "ger"),
        ("français", "fre"),
        ("Francais", "fre"),
        ("español", "spa"),
        ("Espanol", "spa"),
        ("castellano", "spa"),
        ("Brazilian", "por"),
        ("Brazilian Portuguese", "por"),
        ("Latin American Spanish", "spa"),
        ("Simplified Chinese", "chi"),
        ("Serbian Latin", "srp"),
        ("Latin", "lat"),
        ("svenska", "swe"),
        ("Norsk", "nor"),
        ("bokmål", "nor"),
        ("nb", "nor"),
        ("nob", "nor"),
        ("nn", "nor"),
        ("nynorsk", "nor"),
        ("suomi", "fin"),
        ("polski", "pol"),
        ("čeština", "cze"),
        ("magyar", "hun"),
        ("русский", "rus"),
        ("Русский", "rus"),
        ("українська", "ukr"),
        ("ελληνικά", "gre"),
        ("türkçe", "tur"),
        ("farsi", "per"),
        ("日本語", "jpn"),
        ("中文", "chi"),
        ("한국어", "kor"),
        ("Mandarin", "chi"),
        ("Cantonese", "chi"),
        ("Flemish", "dut"),
        ("  eng  ", "eng"),
        ("[English]", "eng"),
    ],
)
def test_english_and_native_names(token, expected):
    assert language_normalize(token) == expected


@pytest.mark.parametrize(
    "token",
    ["", "   ", "und", "UND", "unknown", "Unknown", "zxx", "mul", "xx", "Commentary", "forced", "sdh", "default", "zz"],
)
def test_unknown_tokens_give_empty(token):
    assert language_normalize(token) == ""
    assert language_name(token) == ""


@pytest.mark.parametrize(
    "token", ["\udcff", "\udcffen", "x" * 10_000, "\x00", "-", "()", "en" * 100, "🎬", "e\u0301n", "..."]
)
def test_hostile_tokens_never_raise(token):
    assert isinstance(language_normalize(token), str)
    assert isinstance(language_name(token), str)


def test_non_string_is_unknown():
    assert language_normalize(None) == ""  # type: ignore[arg-type]


def test_every_table_entry_round_trips():
    for bib, term, one, name, _aliases in _LANGUAGES:
        assert len(bib) == 3 and bib.isascii() and bib.islower()
        assert language_normalize(bib) == bib
        assert language_name(bib) == name
        if term:
            assert language_normalize(term) == bib
        if one:
            assert language_normalize(one) == bib
