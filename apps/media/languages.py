"""Normalise language tokens from file names, NFO files and probes to ISO 639-2/B three-letter codes.

Pure Python on purpose: the scanner calls it for every stream and subtitle, so it must stay fast and Django-free.
"""

from __future__ import annotations

import re
import unicodedata

# (639-2/B, 639-2/T or "", 639-1 or "", English name, other spellings separated by "|").
# Aliases include native names, common media-release spellings and a few non-standard codes seen in the wild.
_LANGUAGES: tuple[tuple[str, str, str, str, str], ...] = (
    ("eng", "", "en", "English", "anglais|inglés|englisch"),
    ("ger", "deu", "de", "German", "deutsch|allemand|alemán|swiss german"),
    ("fre", "fra", "fr", "French", "français|francais|französisch|canadian french|québécois|quebecois"),
    ("spa", "", "es", "Spanish", "español|castellano|castilian|latino|spl|latin american spanish"),
    ("ita", "", "it", "Italian", "italiano"),
    ("por", "", "pt", "Portuguese", "português|brazilian|brasileiro|pb|pob|ptbr|brazilian portuguese"),
    ("dut", "nld", "nl", "Dutch", "nederlands|flemish|vlaams"),
    ("swe", "", "sv", "Swedish", "svenska"),
    # Bokmål and Nynorsk fold into the macrolanguage so a "nor" preference matches either.
    ("nor", "", "no", "Norwegian", "norsk|nb|nob|bokmål|bokmal|norwegian bokmål|nn|nno|nynorsk|norwegian nynorsk"),
    ("dan", "", "da", "Danish", "dansk"),
    ("fin", "", "fi", "Finnish", "suomi"),
    ("ice", "isl", "is", "Icelandic", "íslenska"),
    ("pol", "", "pl", "Polish", "polski"),
    ("cze", "ces", "cs", "Czech", "čeština|cesky|český"),
    ("slo", "slk", "sk", "Slovak", "slovenčina|slovensky|slovenský"),
    ("hun", "", "hu", "Hungarian", "magyar"),
    ("rum", "ron", "ro", "Romanian", "română|moldavian|mo"),
    ("bul", "", "bg", "Bulgarian", "български"),
    ("gre", "ell", "el", "Greek", "ελληνικά|modern greek"),
    ("rus", "", "ru", "Russian", "русский"),
    ("ukr", "", "uk", "Ukrainian", "українська"),
    ("srp", "", "sr", "Serbian", "српски|srpski|scc"),
    ("hrv", "", "hr", "Croatian", "hrvatski|scr"),
    ("bos", "", "bs", "Bosnian", "bosanski"),
    ("slv", "", "sl", "Slovenian", "slovenščina|slovenski|slovene"),
    ("mac", "mkd", "mk", "Macedonian", "македонски"),
    ("alb", "sqi", "sq", "Albanian", "shqip"),
    ("tur", "", "tr", "Turkish", "türkçe"),
    ("ara", "", "ar", "Arabic", "العربية"),
    ("heb", "", "he", "Hebrew", "עברית|iw"),
    ("per", "fas", "fa", "Persian", "farsi|فارسی"),
    ("kur", "", "ku", "Kurdish", "kurdî"),
    ("urd", "", "ur", "Urdu", "اردو"),
    ("hin", "", "hi", "Hindi", "हिन्दी|हिंदी"),
    ("ben", "", "bn", "Bengali", "bangla|বাংলা"),
    ("pan", "", "pa", "Punjabi", "panjabi|ਪੰਜਾਬੀ"),
    ("guj", "", "gu", "Gujarati", "ગુજરાતી"),
    ("mar", "", "mr", "Marathi", "मराठी"),
    ("tam", "", "ta", "Tamil", "தமிழ்"),
    ("tel", "", "te", "Telugu", "తెలుగు"),
    ("kan", "", "kn", "Kannada", "ಕನ್ನಡ"),
    ("mal", "", "ml", "Malayalam", "മലയാളം"),
    ("sin", "", "si", "Sinhala", "sinhalese|සිංහල"),
    ("nep", "", "ne", "Nepali", "नेपाली"),
    ("tha", "", "th", "Thai", "ไทย"),
    ("vie", "", "vi", "Vietnamese", "tiếng việt"),
    ("ind", "", "id", "Indonesian", "bahasa indonesia"),
    ("may", "msa", "ms", "Malay", "bahasa melayu|melayu"),
    ("tgl", "", "tl", "Tagalog", "filipino|fil|pilipino"),
    ("khm", "", "km", "Khmer", "cambodian|ខ្មែរ"),
    ("lao", "", "lo", "Lao", "ລາວ"),
    ("bur", "mya", "my", "Burmese", "myanmar"),
    ("chi", "zho", "zh", "Chinese", "中文|汉语|漢語|mandarin|cantonese|cmn|yue|chs|cht|zhs|zht|简体|繁體"),
    ("jpn", "", "ja", "Japanese", "日本語|jp"),
    ("kor", "", "ko", "Korean", "한국어"),
    ("mon", "", "mn", "Mongolian", "монгол"),
    ("est", "", "et", "Estonian", "eesti"),
    ("lav", "", "lv", "Latvian", "latviešu"),
    ("lit", "", "lt", "Lithuanian", "lietuvių"),
    ("cat", "", "ca", "Catalan", "català|valencian"),
    ("baq", "eus", "eu", "Basque", "euskara"),
    ("glg", "", "gl", "Galician", "galego"),
    ("gle", "", "ga", "Irish", "gaeilge|irish gaelic"),
    ("gla", "", "gd", "Scottish Gaelic", "gaelic|gàidhlig"),
    ("wel", "cym", "cy", "Welsh", "cymraeg"),
    ("bre", "", "br", "Breton", "brezhoneg"),
    ("ltz", "", "lb", "Luxembourgish", "lëtzebuergesch"),
    ("mlt", "", "mt", "Maltese", "malti"),
    ("fao", "", "fo", "Faroese", "føroyskt"),
    ("bel", "", "be", "Belarusian", "беларуская"),
    ("geo", "kat", "ka", "Georgian", "ქართული"),
    ("arm", "hye", "hy", "Armenian", "հայերեն"),
    ("aze", "", "az", "Azerbaijani", "azərbaycan"),
    ("kaz", "", "kk", "Kazakh", "қазақ"),
    ("uzb", "", "uz", "Uzbek", "o'zbek"),
    ("pus", "", "ps", "Pashto", "پښتو"),
    ("amh", "", "am", "Amharic", "አማርኛ"),
    ("swa", "", "sw", "Swahili", "kiswahili"),
    ("som", "", "so", "Somali", "soomaali"),
    ("yor", "", "yo", "Yoruba", "yorùbá"),
    ("zul", "", "zu", "Zulu", "isizulu"),
    ("xho", "", "xh", "Xhosa", "isixhosa"),
    ("afr", "", "af", "Afrikaans", ""),
    ("yid", "", "yi", "Yiddish", "ji|ייִדיש"),
    ("lat", "", "la", "Latin", "latina"),
    ("epo", "", "eo", "Esperanto", ""),
    ("tib", "bod", "bo", "Tibetan", "བོད་ཡིག"),
    ("mao", "mri", "mi", "Maori", "māori|te reo"),
    ("haw", "", "", "Hawaiian", ""),
)

_UNKNOWN = frozenset({"und", "unknown", "undetermined", "unk", "none", "n/a", "na", "zxx", "mis", "mul", "xx"})

# Words that also name something else, so they only count as a whole token ("Serbian Latin" is Serbian).
_WHOLE_TOKEN_ONLY = frozenset({"latin", "latino", "gaelic"})

_SPLIT_REGION = re.compile(r"[-_(;,/\[]")
_WORDS = re.compile(r"[^\W\d_]+")


def _fold(text: str) -> str:
    """Case- and accent-insensitive key: "Français" and "francais" fold alike."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).strip()


def _build() -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    lookup: dict[str, str] = {}
    names: dict[str, str] = {}
    tags: dict[str, str] = {}
    for b, t, one, english, aliases in _LANGUAGES:
        names[b] = english
        tags[b] = one or t or b
        for key in (b, t, one, english, *aliases.split("|")):
            if key:
                lookup.setdefault(_fold(key), b)
    return lookup, names, tags


_LOOKUP, _NAMES, _TAGS = _build()


def language_normalize(token: str) -> str:
    """The ISO 639-2/B code for a language code or name ("en", "deu", "Deutsch", "pt-BR"), or "" when unknown."""
    if not isinstance(token, str):
        return ""
    key = _fold(token).strip(" ._-'\"[](){}")
    if not key or key in _UNKNOWN or len(key) > 64:
        return ""
    found = _LOOKUP.get(key)
    if found:
        return found
    # "pt-BR", "zh-Hans", "English (US)", "Spanish; Castilian": the part before the region or script.
    head = _SPLIT_REGION.split(key, maxsplit=1)[0].strip(" .")
    if head and head != key:
        found = _LOOKUP.get(head)
        if found:
            return found
    # "Brazilian Portuguese", "Simplified Chinese": the last word that names a language wins.
    words = _WORDS.findall(key)
    if len(words) > 1:
        for word in reversed(words):
            if len(word) >= 4 and word not in _WHOLE_TOKEN_ONLY and word in _LOOKUP:
                return _LOOKUP[word]
    return ""


def language_name(code: str) -> str:
    """The English name of a language code or name ("ger" -> "German"), or "" when unknown."""
    return _NAMES.get(language_normalize(code), "")


def language_tag(code: str) -> str:
    """The BCP 47 tag players expect ("ger" -> "de", "haw" stays "haw"), or "" when unknown."""
    return _TAGS.get(language_normalize(code), "")
