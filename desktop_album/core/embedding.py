"""CLIP inference with onnxruntime: images and texts to L2-normalised embeddings.

The model is a plain object with an explicit life (load, unload). Sessions are created lazily and
separately, so a search only pays for the text tower and indexing only for the image tower.
"""

from __future__ import annotations

import logging
import os
import re
import threading
import weakref
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import onnxruntime as ort
from numpy.typing import NDArray
from tokenizers import Tokenizer

from desktop_album.core.errors import PackError
from desktop_album.core.packs import ModelPack
from desktop_album.core.query_text import canonicalize, flores_code

log = logging.getLogger(__name__)

Vector = NDArray[np.float32]

_CUDA = "CUDAExecutionProvider"
_CPU = "CPUExecutionProvider"
_DTYPES: dict[str, type[np.signedinteger[Any]]] = {
    "tensor(int32)": np.int32,
    "tensor(int64)": np.int64,
}


_FLORES_TOKEN = re.compile(r"[a-z]{3}_[A-Z][a-z]{3}")

# Sessions alive in this process, by (file, size, mtime, threads, providers); see
# ClipModel._session. Weak: a session goes when the last model using it is unloaded.
_shared_sessions: weakref.WeakValueDictionary[tuple[object, ...], ort.InferenceSession] = (
    weakref.WeakValueDictionary()
)
_shared_lock = threading.Lock()


def normalise(vectors: NDArray[np.float32]) -> NDArray[np.float32]:
    """L2-normalise rows; a zero row stays zero instead of turning into NaN."""
    norms = np.linalg.norm(vectors, axis=-1, keepdims=True)
    np.maximum(norms, 1e-12, out=norms)
    return np.ascontiguousarray(vectors / norms, dtype=np.float32)


def wanted_providers(preference: str) -> list[str]:
    """The providers to ask onnxruntime for, best first, among those this build offers."""
    available = ort.get_available_providers()
    if preference == "cpu" or _CUDA not in available:
        return [_CPU]
    return [_CUDA, _CPU]


@dataclass
class _TextInput:
    names: tuple[str, ...]
    dtype: type[np.signedinteger[Any]]
    fixed_length: int | None  # None: the model takes any sequence length


class ClipModel:
    """A CLIP model pack ready for inference.

    Args:
        pack: the validated pack.
        provider: "auto" (CUDA when it really starts, else CPU), "cuda" or "cpu".
        threads: intra-op threads per session; 0 means one per core.
        precision: "fp32" or "int8" (when the pack ships the quantised towers).
        language: the UI language ("ko", "en", ...): breaks ties when an NLLB pack's query
            needs a FLORES-200 language code and the query's script is shared by languages.
    """

    def __init__(
        self,
        pack: ModelPack,
        provider: str = "auto",
        threads: int = 0,
        precision: str = "fp32",
        language: str | None = None,
    ) -> None:
        self.pack = pack
        self.provider_preference = provider
        self.threads = threads or (os.cpu_count() or 1)
        self.precision = precision if pack.has_precision(precision) else "fp32"
        self._lock = threading.Lock()
        self._visual: ort.InferenceSession | None = None
        self._textual: ort.InferenceSession | None = None
        self._tokenizer: Tokenizer | None = None
        self._text_input: _TextInput | None = None
        self._pad_id = 0
        self._language_codes = False
        self._code_in_template = False
        self.language = language
        self.active_provider = "none"
        self.notices: list[str] = []

    @property
    def model_id(self) -> str:
        return self.pack.model_id

    @property
    def dim(self) -> int:
        return self.pack.embed_dim

    @property
    def image_size(self) -> int:
        return self.pack.preprocess.size

    # -- life -------------------------------------------------------------------------------

    def load(self) -> None:
        """Create both sessions now (otherwise they are created on first use)."""
        self._visual_session()
        self._text_session()

    def unload(self) -> None:
        with self._lock:
            self._visual = self._textual = None
            self._tokenizer = None

    def _session(self, path: Path) -> ort.InferenceSession:
        """A session for ``path``, shared with every other ClipModel of this process that asks
        for the same file, threads and providers.

        The window holds one model for searching and one for indexing, and a SigLIP 2 or
        multilingual text tower is mostly its 256k-token embedding table (0.8-1 GB in fp32):
        loading it once per model would double that. ``InferenceSession.run`` is thread safe.
        """
        providers = wanted_providers(self.provider_preference)
        try:
            stat = path.stat()
        except OSError as exc:
            raise PackError(f"Cannot load {path}: {exc.strerror or exc}") from exc
        key = (str(path), stat.st_size, stat.st_mtime_ns, self.threads, tuple(providers))
        with _shared_lock:
            session = _shared_sessions.get(key)
            if session is None:
                session = self._new_session(path, providers)
                _shared_sessions[key] = session
        used = session.get_providers()
        if _CUDA in providers and _CUDA not in used:
            self._notice("CUDA is listed but could not start here; running on the CPU.")
        elif self.provider_preference == "cuda" and _CUDA not in used:
            self._notice("CUDA is not available in this onnxruntime build; running on the CPU.")
        self.active_provider = "cuda" if _CUDA in used else "cpu"
        return session

    def _new_session(self, path: Path, providers: list[str]) -> ort.InferenceSession:
        options = ort.SessionOptions()
        options.intra_op_num_threads = self.threads
        options.inter_op_num_threads = 1
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        # Spinning threads steal the cores the JPEG decoders need (measured: NOTES.md).
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        # A CUDA provider that is listed but cannot start logs a stack of errors; we say it once.
        options.log_severity_level = 4
        # The provider bridge logs through the process-wide default logger, not the session's.
        ort.set_default_logger_severity(4)
        try:
            session = ort.InferenceSession(str(path), sess_options=options, providers=providers)
        except Exception as exc:  # onnxruntime raises its own untyped errors
            raise PackError(f"Cannot load {path}: {exc}".splitlines()[0]) from exc
        finally:
            ort.set_default_logger_severity(3)
        return session

    def _notice(self, message: str) -> None:
        if message not in self.notices:
            self.notices.append(message)
            log.warning(message)

    # -- images -----------------------------------------------------------------------------

    def _visual_session(self) -> ort.InferenceSession:
        with self._lock:
            if self._visual is None:
                path = self.pack.visual_model(self.precision)
                session = self._session(path)
                inputs = session.get_inputs()
                shape = inputs[0].shape
                size = self.pack.preprocess.size
                if len(shape) != 4 or any(
                    isinstance(d, int) and d != want
                    for d, want in zip(shape[1:], (3, size, size), strict=True)
                ):
                    raise PackError(
                        f"{path}: image input has shape {shape}, but preprocess_cfg.json says "
                        f"3 x {size} x {size}."
                    )
                self._check_output(session, path)
                self._visual = session
            return self._visual

    def embed_images(self, batch: NDArray[np.float32]) -> NDArray[np.float32]:
        """Embed a (N, 3, S, S) float32 batch; returns (N, D) unit vectors."""
        session = self._visual_session()
        name = session.get_inputs()[0].name
        out = session.run([self._output_name(session)], {name: batch})[0]
        return normalise(np.asarray(out, dtype=np.float32))

    # -- text -------------------------------------------------------------------------------

    def _text_session(self) -> ort.InferenceSession:
        with self._lock:
            if self._textual is None:
                path = self.pack.textual_model(self.precision)
                session = self._session(path)
                self._check_output(session, path)
                self._text_input = self._describe_text_input(session, path)
                self._tokenizer = self._load_tokenizer()
                self._textual = session
            return self._textual

    def _describe_text_input(self, session: ort.InferenceSession, path: Path) -> _TextInput:
        inputs = {i.name: i for i in session.get_inputs()}
        if "text" in inputs:
            names: tuple[str, ...] = ("text",)
        elif "input_ids" in inputs:
            names = (
                ("input_ids", "attention_mask") if "attention_mask" in inputs else ("input_ids",)
            )
        else:
            raise PackError(
                f"{path}: expected an input named 'text' or 'input_ids', found {sorted(inputs)}."
            )
        first = inputs[names[0]]
        dtype = _DTYPES.get(first.type)
        if dtype is None:
            raise PackError(f"{path}: token input has type {first.type}; expected int32 or int64.")
        length = first.shape[1] if len(first.shape) == 2 else None
        fixed = length if isinstance(length, int) else None
        if fixed is not None and fixed != self.pack.context_length:
            raise PackError(
                f"{path}: the text input takes {fixed} tokens, but the pack says its context "
                f"length is {self.pack.context_length}."
            )
        return _TextInput(names, dtype, fixed)

    def _load_tokenizer(self) -> Tokenizer:
        try:
            tokenizer = Tokenizer.from_file(str(self.pack.tokenizer_file))
        except Exception as exc:  # tokenizers raises a bare Exception on bad files
            raise PackError(f"Cannot read {self.pack.tokenizer_file}: {exc}") from exc
        pad_id = tokenizer.token_to_id(self.pack.pad_token)
        if pad_id is None:
            raise PackError(
                f"{self.pack.tokenizer_file}: pad token {self.pack.pad_token!r} is not in the "
                "vocabulary."
            )
        self._pad_id = pad_id
        # NLLB's vocabulary holds the FLORES-200 codes as tokens; its encoder expects one first.
        # A tokenizer.json saved from Hugging Face's NLLB tokenizer puts its default source
        # language (eng_Latn) there itself: that token is then replaced rather than a second
        # code prefixed, so the sequence is what NLLB was trained on (code, text, </s>).
        self._language_codes = tokenizer.token_to_id("eng_Latn") is not None
        probe = tokenizer.encode("").ids
        self._code_in_template = (
            self._language_codes
            and bool(probe)
            and _FLORES_TOKEN.fullmatch(tokenizer.id_to_token(probe[0]) or "") is not None
        )
        tokenizer.no_padding()
        tokenizer.enable_truncation(max_length=self.pack.context_length)
        return tokenizer

    @property
    def trims_after_eot(self) -> bool:
        """Whether token sequences are cut after the end-of-text token (see :meth:`tokenize`)."""
        self._text_session()
        assert self._text_input is not None
        spec = self._text_input
        return self.pack.text.trim_after_eot and spec.fixed_length is None and len(spec.names) == 1

    def language_code(self, text: str) -> str | None:
        """The FLORES-200 code an NLLB pack gets for ``text`` (None for other families)."""
        self._text_session()
        if not self._language_codes:
            return None
        assert self._tokenizer is not None
        code = flores_code(text, self.language)
        return code if self._tokenizer.token_to_id(code) is not None else "eng_Latn"

    def prepare_text(self, text: str) -> str:
        """The string the tokenizer gets: whitespace collapsed, canonicalised when the pack says
        so (SigLIP), and led by a FLORES-200 code for an NLLB encoder whose tokenizer does not
        add one itself (as immich does)."""
        self._text_session()
        text = " ".join(text.split())
        if self.pack.text.canonicalize:
            text = canonicalize(text)
        code = self.language_code(text)
        if code is not None and not self._code_in_template:
            text = code + text
        return text

    def tokenize(self, texts: Sequence[str]) -> dict[str, NDArray[np.signedinteger[Any]]]:
        """Token arrays for the text tower, as the pack's family expects them.

        Every sequence is padded with the pack's pad token to exactly ``context_length`` (or the
        length the graph fixes), except for a causal tower pooled at the end-of-text token
        (OpenAI CLIP, OpenCLIP): there the batch is cut right after its longest text's last
        token, which gives the same embedding for a fraction of the cost. Bidirectional towers
        (SigLIP pools the last slot, which is a pad) must see every pad. See
        :class:`desktop_album.core.packs.TextConfig` for how a pack is classified.
        """
        self._text_session()
        assert self._tokenizer is not None and self._text_input is not None
        spec = self._text_input
        prepared = [self.prepare_text(t) for t in texts]
        encodings = self._tokenizer.encode_batch(prepared)
        if self.trims_after_eot:
            length = max((len(e.ids) for e in encodings), default=1) or 1
        else:
            length = spec.fixed_length or self.pack.context_length
        ids = np.full((len(encodings), length), self._pad_id, dtype=spec.dtype)
        mask = np.zeros((len(encodings), length), dtype=spec.dtype)
        for row, encoding in enumerate(encodings):
            n = min(len(encoding.ids), length)
            ids[row, :n] = encoding.ids[:n]
            mask[row, :n] = 1
            if self._code_in_template:  # the template's eng_Latn becomes the query's code
                code = self.language_code(prepared[row]) or "eng_Latn"
                ids[row, 0] = self._tokenizer.token_to_id(code)
        arrays = {spec.names[0]: ids}
        if len(spec.names) > 1:
            arrays[spec.names[1]] = mask
        return arrays

    def embed_texts(self, texts: Sequence[str]) -> NDArray[np.float32]:
        """Embed raw texts (no templates); returns (N, D) unit vectors."""
        session = self._text_session()
        out = session.run([self._output_name(session)], self.tokenize(texts))[0]
        return normalise(np.asarray(out, dtype=np.float32))

    def embed_query(self, text: str) -> NDArray[np.float32]:
        """One search query: the pack's prompt templates averaged, then normalised; shape (D,)."""
        query = self.pack.query
        phrase = " ".join(text.split())
        prompts = [query.text_prefix + template.format(phrase) for template in query.templates]
        vectors = self.embed_texts(prompts)
        mean: NDArray[np.float32] = normalise(vectors.mean(axis=0, keepdims=True))[0]
        return mean

    # -- shared -----------------------------------------------------------------------------

    @staticmethod
    def _output_name(session: ort.InferenceSession) -> str:
        names = [o.name for o in session.get_outputs()]
        return "embedding" if "embedding" in names else names[0]

    def _check_output(self, session: ort.InferenceSession, path: Path) -> None:
        outputs = {o.name: o for o in session.get_outputs()}
        out = outputs.get("embedding") or session.get_outputs()[0]
        dim = out.shape[-1] if out.shape else None
        if isinstance(dim, int) and dim != self.pack.embed_dim:
            raise PackError(
                f"{path}: output has {dim} dimensions, but config.json says embed_dim "
                f"{self.pack.embed_dim}."
            )
