"""Our preprocessing against CLIP's reference, on real photos, at tensor and embedding level.

The reference is transformers' CLIP image processor with its PIL backend
(``CLIPImageProcessorPil``): what ``CLIPImageProcessor`` resolves to when torchvision is not
installed, and the same PIL bicubic resize and centre crop OpenAI's CLIP was trained with. The
torchvision backend resizes tensors instead and differs from both in the last bits, so it is not
used as the yardstick here, whatever the environment has installed.

The photos are the ones bundled with scikit-image, saved as PNG (decoded at full size, so the
tensors must agree to float rounding) and as 3x-upscaled JPEGs (decoded with DCT scaling, which
must not move the embedding).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from desktop_album.core.imaging import load_image, to_model_input
from desktop_album.core.packs import ModelPack, PreprocessConfig, load_pack

transformers = pytest.importorskip("transformers")
skimage_data = pytest.importorskip("skimage.data")
ort = pytest.importorskip("onnxruntime")

PACK = Path(__file__).resolve().parents[1] / "fixtures" / "tiny-pack"
PHOTOS = ("astronaut", "coffee", "chelsea", "rocket", "hubble_deep_field", "camera")
CLIP_MEAN = (0.48145466, 0.4578275, 0.40821073)
CLIP_STD = (0.26862954, 0.26130258, 0.27577711)


@pytest.fixture(scope="module")
def photos(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Path]]:
    folder = tmp_path_factory.mktemp("photos")
    files: dict[str, dict[str, Path]] = {}
    for name in PHOTOS:
        image = Image.fromarray(getattr(skimage_data, name)()).convert("RGB")
        png, jpeg = folder / f"{name}.png", folder / f"{name}.jpg"
        image.save(png)
        large = image.resize((image.width * 3, image.height * 3), Image.Resampling.BICUBIC)
        large.save(jpeg, quality=95)
        files[name] = {"png": png, "jpeg": jpeg}
    return files


@pytest.fixture(scope="module")
def pack() -> ModelPack:
    assert (PACK / "visual" / "model.onnx").is_file(), f"the test model pack is missing: {PACK}"
    return load_pack(PACK)


def reference(path: Path, cfg: PreprocessConfig) -> np.ndarray:
    processor = transformers.CLIPImageProcessorPil(
        size={"shortest_edge": cfg.size},
        crop_size={"height": cfg.size, "width": cfg.size},
        image_mean=list(cfg.mean),
        image_std=list(cfg.std),
        do_convert_rgb=True,
    )
    with Image.open(path) as image:
        pixels = processor(images=image, return_tensors="np")["pixel_values"][0]
    return np.asarray(pixels, dtype=np.float32)


def ours(path: Path, cfg: PreprocessConfig) -> np.ndarray:
    return to_model_input(load_image(path, min_side=cfg.size), cfg)


def embed(pack: ModelPack, batch: np.ndarray) -> np.ndarray:
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    session = ort.InferenceSession(
        str(pack.visual_model()), options, providers=["CPUExecutionProvider"]
    )
    name = session.get_inputs()[0].name
    vectors = np.asarray(session.run(None, {name: batch})[0], dtype=np.float64)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


@pytest.mark.parametrize("size", [224, 64])
def test_png_tensors_match_the_reference(photos: dict[str, dict[str, Path]], size: int) -> None:
    cfg = PreprocessConfig(size, CLIP_MEAN, CLIP_STD)
    for name, files in photos.items():
        diff = np.abs(ours(files["png"], cfg) - reference(files["png"], cfg))
        assert float(diff.max()) < 1e-4, name


def test_jpeg_tensors_stay_close_with_draft_decoding(photos: dict[str, dict[str, Path]]) -> None:
    cfg = PreprocessConfig(224, CLIP_MEAN, CLIP_STD)
    for name, files in photos.items():
        drafted = load_image(files["jpeg"], min_side=224)
        with Image.open(files["jpeg"]) as full:
            assert drafted.width < full.width and min(drafted.size) >= 224, name
        diff = np.abs(to_model_input(drafted, cfg) - reference(files["jpeg"], cfg))
        # One 8-bit step is about 0.015 here: the mean moves by a few steps at most.
        assert float(diff.mean()) < 0.05, name


def test_embeddings_match_the_reference(
    photos: dict[str, dict[str, Path]], pack: ModelPack
) -> None:
    cfg = pack.preprocess
    paths = [files[kind] for files in photos.values() for kind in ("png", "jpeg")]
    mine = embed(pack, np.stack([ours(p, cfg) for p in paths]))
    theirs = embed(pack, np.stack([reference(p, cfg) for p in paths]))

    cosines = np.sum(mine * theirs, axis=1)
    worst = int(np.argmin(cosines))
    assert cosines[worst] >= 0.999, f"{paths[worst].name}: cosine {cosines[worst]:.5f}"
    # The check means something only if different photos embed differently.
    between = mine[0::2] @ mine[0::2].T
    assert float(between[~np.eye(len(photos), dtype=bool)].min()) < 0.99
