"""Query text before tokenising: open_clip's canonicalisation, NLLB's FLORES-200 codes."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop_album.core.embedding import ClipModel
from desktop_album.core.packs import load_pack
from desktop_album.core.query_text import canonicalize, flores_code, language_code


@pytest.mark.parametrize(
    ("text", "clean"),
    [
        ("A RED, Circle!!", "a red circle"),
        ("  snake_case   and\ttabs ", "snake case and tabs"),
        ("it's a dog's-life.", "its a dogslife"),
        ("빨간 원!", "빨간 원"),  # only ASCII punctuation goes, as in open_clip
        ("Café «chat»", "café «chat»"),
    ],
)
def test_canonicalize_is_open_clips(text: str, clean: str) -> None:
    assert canonicalize(text) == clean


@pytest.mark.parametrize(
    ("text", "ui", "code"),
    [
        ("빨간 원", "en", "kor_Hang"),
        ("빨간 원", None, "kor_Hang"),
        ("a red circle", "ko", "eng_Latn"),  # Korean UI, English words: English
        ("a red circle", "en", "eng_Latn"),
        ("un cercle rouge", "fr", "fra_Latn"),  # Latin script the UI language writes
        ("빨간 car", "en", "kor_Hang"),  # mixed: the most letters... and ties go to Hangul
        ("red 원", "en", "kor_Hang"),
        ("red circle 원", "en", "eng_Latn"),
        ("赤い丸", "en", "jpn_Jpan"),  # any Kana: Japanese
        ("红色的圆", "en", "zho_Hans"),
        ("红色的圆", "ja", "jpn_Jpan"),  # Han only: the UI language breaks the tie
        ("紅色的圓", "zh_TW", "zho_Hant"),
        ("красный круг", "en", "rus_Cyrl"),
        ("червоне коло", "uk", "ukr_Cyrl"),
        ("κόκκινος κύκλος", "en", "ell_Grek"),
        ("2024", "ko", "kor_Hang"),  # no letters: the UI language
        ("2024", None, "eng_Latn"),
    ],
)
def test_flores_code_from_script_then_ui_language(text: str, ui: str | None, code: str) -> None:
    assert flores_code(text, ui) == code


def test_language_code_accepts_locale_names() -> None:
    assert language_code("ko_KR") == "kor_Hang"
    assert language_code("zh-Hant") == "zho_Hant"
    assert language_code("xx") is None


def test_models_of_one_pack_share_their_sessions(tiny_pack: Path) -> None:
    """The window's search and index models load a (SigLIP 2: 1 GB) text tower once."""
    pack = load_pack(tiny_pack)
    a = ClipModel(pack, provider="cpu", threads=1)
    b = ClipModel(load_pack(tiny_pack), provider="cpu", threads=1)
    assert a._text_session() is b._text_session()
    assert a._visual_session() is b._visual_session()
    assert ClipModel(pack, provider="cpu", threads=2)._text_session() is not a._text_session()
    assert (a.embed_texts(["a red circle"]) == b.embed_texts(["a red circle"])).all()
