"""Tiny but valid model packs for tests, built with onnx.helper in a few milliseconds.

The towers compute nothing meaningful (a linear map of the pixels; the mean of token vectors),
but they have the input and output names, types and shapes of a real immich CLIP pack, so
load_pack, ClipModel and validate_pack treat them like the real thing.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper
from tokenizers import Tokenizer
from tokenizers.models import WordLevel
from tokenizers.pre_tokenizers import Whitespace

VOCAB = ["<pad>", "<unk>", "a", "photo", "of", "red", "circle", "빨간", "원"]
_OPSET = 17
_IR_VERSION = 8  # old enough for any onnxruntime the app supports


def _save(graph: onnx.GraphProto, path: Path) -> None:
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", _OPSET)])
    model.ir_version = _IR_VERSION
    onnx.checker.check_model(model)
    path.parent.mkdir(parents=True, exist_ok=True)
    onnx.save(model, str(path))


def visual_graph(dim: int, size: int, seed: int = 0) -> onnx.GraphProto:
    """``image`` float32 [N, 3, size, size] -> ``embedding`` float32 [N, dim]."""
    weights = np.random.default_rng(seed).standard_normal((3 * size * size, dim))
    return helper.make_graph(
        [
            helper.make_node("Flatten", ["image"], ["flat"], axis=1),
            helper.make_node("MatMul", ["flat", "w"], ["mm"]),
            # A bias keeps an all-zero test image from giving an all-zero embedding.
            helper.make_node("Add", ["mm", "b"], ["embedding"]),
        ],
        "visual",
        [helper.make_tensor_value_info("image", TensorProto.FLOAT, ["N", 3, size, size])],
        [helper.make_tensor_value_info("embedding", TensorProto.FLOAT, ["N", dim])],
        initializer=[
            numpy_helper.from_array(weights.astype(np.float32), "w"),
            numpy_helper.from_array(np.ones(dim, np.float32), "b"),
        ],
    )


def textual_graph(dim: int, vocab_size: int, seed: int = 1) -> onnx.GraphProto:
    """``text`` int32 [N, seq] -> ``embedding`` float32 [N, dim] (mean of token vectors)."""
    table = np.random.default_rng(seed).standard_normal((vocab_size, dim))
    return helper.make_graph(
        [
            helper.make_node("Gather", ["table", "text"], ["vectors"], axis=0),
            helper.make_node("ReduceMean", ["vectors"], ["embedding"], axes=[1], keepdims=0),
        ],
        "textual",
        [helper.make_tensor_value_info("text", TensorProto.INT32, ["N", "seq"])],
        [helper.make_tensor_value_info("embedding", TensorProto.FLOAT, ["N", dim])],
        initializer=[numpy_helper.from_array(table.astype(np.float32), "table")],
    )


def make_minimal_pack(folder: Path, dim: int = 4, size: int = 8, visual_seed: int = 0) -> Path:
    """Write a valid pack into ``folder`` (created) and return it.

    Packs made with the same ``visual_seed`` share their image tower (and image space).
    """
    folder = Path(folder)
    (folder / "visual").mkdir(parents=True, exist_ok=True)
    (folder / "textual").mkdir(parents=True, exist_ok=True)
    _write_json(
        folder / "config.json",
        {
            "embed_dim": dim,
            "vision_cfg": {"image_size": size},
            "text_cfg": {"context_length": 16, "vocab_size": len(VOCAB)},
        },
    )
    _write_json(
        folder / "visual" / "preprocess_cfg.json",
        {
            "size": [size, size],
            "mean": [0.48145466, 0.4578275, 0.40821073],
            "std": [0.26862954, 0.26130258, 0.27577711],
            "interpolation": "bicubic",
            "resize_mode": "shortest",
        },
    )
    _write_json(
        folder / "textual" / "tokenizer_config.json",
        {"pad_token": "<pad>", "model_max_length": 16},
    )
    tokenizer = Tokenizer(WordLevel({t: i for i, t in enumerate(VOCAB)}, unk_token="<unk>"))
    tokenizer.pre_tokenizer = Whitespace()
    tokenizer.save(str(folder / "textual" / "tokenizer.json"))
    _save(visual_graph(dim, size, visual_seed), folder / "visual" / "model.onnx")
    _save(textual_graph(dim, len(VOCAB)), folder / "textual" / "model.onnx")
    return folder


def _write_json(path: Path, data: object) -> None:
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")
