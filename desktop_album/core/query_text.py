"""What a query's text becomes before a tokenizer sees it: cleaning and language codes.

Two conventions of the model families, kept here so the text tower code stays about tensors:

- SigLIP and SigLIP 2 were trained on canonicalised captions (open_clip's
  ``canonicalize_text``: underscores to spaces, ASCII punctuation removed, lowercase, whitespace
  collapsed), and their tokenizers are cased, so a query must be canonicalised the same way.
- NLLB-CLIP's text encoder is NLLB's, which expects the FLORES-200 code of the text's language as
  its first token. immich takes it from the user's UI language; a Korean user also types English
  words, so here the query's own script decides and the UI language breaks ties (Han characters
  are Chinese, Japanese or Korean Hanja; Latin letters are English or French or ...).
"""

from __future__ import annotations

import string
import unicodedata

_PUNCTUATION = str.maketrans("", "", string.punctuation)

# UI language (BCP 47 primary subtag, or a full tag) to its FLORES-200 code.
FLORES_BY_LANGUAGE: dict[str, str] = {
    "en": "eng_Latn",
    "ko": "kor_Hang",
    "ja": "jpn_Jpan",
    "zh": "zho_Hans",
    "zh-tw": "zho_Hant",
    "zh-hk": "zho_Hant",
    "zh-hant": "zho_Hant",
    "ru": "rus_Cyrl",
    "uk": "ukr_Cyrl",
    "bg": "bul_Cyrl",
    "sr": "srp_Cyrl",
    "be": "bel_Cyrl",
    "mk": "mkd_Cyrl",
    "kk": "kaz_Cyrl",
    "mn": "khk_Cyrl",
    "fr": "fra_Latn",
    "de": "deu_Latn",
    "es": "spa_Latn",
    "it": "ita_Latn",
    "pt": "por_Latn",
    "nl": "nld_Latn",
    "pl": "pol_Latn",
    "cs": "ces_Latn",
    "sv": "swe_Latn",
    "da": "dan_Latn",
    "nb": "nob_Latn",
    "fi": "fin_Latn",
    "hu": "hun_Latn",
    "ro": "ron_Latn",
    "tr": "tur_Latn",
    "vi": "vie_Latn",
    "id": "ind_Latn",
    "ms": "zsm_Latn",
    "ar": "arb_Arab",
    "fa": "pes_Arab",
    "ur": "urd_Arab",
    "he": "heb_Hebr",
    "el": "ell_Grek",
    "th": "tha_Thai",
    "hi": "hin_Deva",
    "mr": "mar_Deva",
    "bn": "ben_Beng",
}

# Script of a letter (from its Unicode name) to the FLORES code used when the UI language does
# not write that script.
_SCRIPT_DEFAULT: dict[str, str] = {
    "Hang": "kor_Hang",
    "Kana": "jpn_Jpan",
    "Hani": "zho_Hans",
    "Latn": "eng_Latn",
    "Cyrl": "rus_Cyrl",
    "Arab": "arb_Arab",
    "Hebr": "heb_Hebr",
    "Grek": "ell_Grek",
    "Thai": "tha_Thai",
    "Deva": "hin_Deva",
    "Beng": "ben_Beng",
}
_NAME_PREFIX = (
    ("HANGUL", "Hang"),
    ("HIRAGANA", "Kana"),
    ("KATAKANA", "Kana"),
    ("CJK", "Hani"),
    ("LATIN", "Latn"),
    ("CYRILLIC", "Cyrl"),
    ("ARABIC", "Arab"),
    ("HEBREW", "Hebr"),
    ("GREEK", "Grek"),
    ("THAI", "Thai"),
    ("DEVANAGARI", "Deva"),
    ("BENGALI", "Beng"),
)


# Letters per character, roughly: "원" says as much as "one".
_WEIGHT = {"Hang": 3, "Hani": 3, "Kana": 2}


def canonicalize(text: str) -> str:
    """open_clip's ``canonicalize_text``: "A Red-Circle!" -> "a redcircle"."""
    text = text.replace("_", " ").translate(_PUNCTUATION).lower()
    return " ".join(text.split())


def language_code(language: str | None) -> str | None:
    """The FLORES-200 code of a UI language ("ko", "ko_KR", "zh-Hant"), or None."""
    if not language:
        return None
    tag = language.replace("_", "-").lower()
    return FLORES_BY_LANGUAGE.get(tag) or FLORES_BY_LANGUAGE.get(tag.split("-")[0])


def _script(char: str) -> str | None:
    if not char.isalpha():
        return None
    name = unicodedata.name(char, "")
    for prefix, script in _NAME_PREFIX:
        if name.startswith(prefix):
            return script
    return None


def flores_code(text: str, ui_language: str | None = None) -> str:
    """The FLORES-200 code to put in front of ``text`` for an NLLB text encoder.

    The script with the most letters wins (Hangul -> kor_Hang, Kana -> jpn_Jpan, ...; a Hangul
    syllable or a Han character counts as three Latin letters, a Kana as two, about what each
    spells; ties go to Hangul); where
    that script is shared by several languages (Latin, Cyrillic, Arabic, Han) and the UI language
    writes it, the UI language's code is used. Japanese text mixes Kana and Han: any Kana makes
    it Japanese. A query with no letters (digits, emoji) gets the UI language's code.
    """
    counts: dict[str, int] = {}
    for char in text:
        script = _script(char)
        if script is not None:
            counts[script] = counts.get(script, 0) + _WEIGHT.get(script, 1)
    ui_code = language_code(ui_language)
    if not counts:
        return ui_code or "eng_Latn"
    if "Kana" in counts:
        return "jpn_Jpan"
    script = max(counts, key=lambda s: (counts[s], s == "Hang"))
    if ui_code is not None and ui_code.endswith("_" + script):
        return ui_code
    if script == "Hani" and ui_code in ("jpn_Jpan", "kor_Hang", "zho_Hant"):
        return ui_code  # Han is written in each of these (Kanji, Hanja, traditional Chinese)
    return _SCRIPT_DEFAULT[script]


def ui_language(setting: str | None) -> str | None:
    """The UI language a setting names: itself, or the system locale's for "system"."""
    if setting and setting != "system":
        return setting
    import locale

    try:
        name = locale.getlocale()[0]
    except ValueError:
        return None
    return name or None
