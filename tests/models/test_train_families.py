"""models.train_families: each family's tokenizer and text tower export, read back by the app."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("onnxscript")

from desktop_album.core.embedding import ClipModel  # noqa: E402
from desktop_album.core.packs import load_pack  # noqa: E402
from models import train_families as tf  # noqa: E402


@pytest.mark.parametrize("family", tf.FAMILIES)
def test_an_untrained_tower_exports_as_a_pack_the_app_reads_like_torch(
    family: str, tmp_path: Path
) -> None:
    torch.set_num_threads(1)
    torch.manual_seed(0)
    tok, tok_cfg = tf.build_tokenizer(family)
    pad_id = tok.token_to_id(tok_cfg["pad_token"])
    tower = tf.FamilyTextTower(family, tok.get_vocab_size(), pad_id, 64).eval()
    tf.export(family, tower, tok, tok_cfg, tmp_path / family)  # checks ONNX against torch

    model = ClipModel(load_pack(tmp_path / family), provider="cpu", threads=1)
    query = "A red circle!" if family == "siglip" else "빨간 원"
    got = model.embed_texts([query])[0]
    ids, mask = tf.encode(tok, pad_id, [tf.prefixed(family, query.lower().strip("!"))])
    with torch.no_grad():
        want = tower(torch.from_numpy(ids), torch.from_numpy(mask)).numpy()[0]
    assert float(got @ (want / np.linalg.norm(want))) == pytest.approx(1.0, abs=1e-5)
    assert not model.trims_after_eot
