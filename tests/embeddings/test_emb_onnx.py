"""The ONNX Runtime backend: the bundled model exported once (offline, cached), vectors equal to
torch's, a broken export falls back to torch in auto mode and is a clear error when insisted on."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from embeddings import Encoder, ModelLoadError, bundled_model_path
from embeddings import onnx_backend as ob

TEXTS = ["Registered Nurse", "Sorts emergency patients by urgency.", "kubernetes", "Führt Bücher", ""]


def test_bundled_pipeline_is_onnx_compatible() -> None:
    ok, max_len = ob.onnx_compatible(bundled_model_path())
    assert ok and max_len == 256


def test_other_pipelines_are_left_to_torch(tmp_path: Path) -> None:
    (tmp_path / "modules.json").write_text('[{"idx": 0, "name": "0", "path": "", "type": "x.CLIPModel"}]')
    assert ob.onnx_compatible(tmp_path) == (False, 0)


def test_model_cache_is_outside_the_index_home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("SKILLGRAPH_MODEL_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert ob.default_cache_dir() == tmp_path / "skillgraph"
    monkeypatch.setenv("SKILLGRAPH_MODEL_CACHE", str(tmp_path / "m"))
    assert ob.default_cache_dir() == tmp_path / "m"


@pytest.mark.slow
def test_onnx_vectors_equal_torch_and_the_export_is_reused(real_encoder, monkeypatch: pytest.MonkeyPatch) -> None:
    texts = [t for t in TEXTS if t]
    onnx = real_encoder.encode(texts)
    assert real_encoder.backend == "onnx"
    torch_enc = Encoder(backend="torch")
    ref = torch_enc.encode(texts)
    assert np.abs(onnx - ref).max() < 1e-5
    assert np.allclose(np.linalg.norm(onnx, axis=1), 1.0, atol=1e-5)

    def no_export(*_a, **_k):  # type: ignore[no-untyped-def]
        raise AssertionError("exported again although the cached file exists")

    monkeypatch.setattr(ob, "export_onnx", no_export)
    again = Encoder()
    assert np.abs(again.encode(texts) - onnx).max() < 1e-6 and again.backend == "onnx"


@pytest.mark.slow
def test_broken_export_falls_back_or_fails_clearly(tmp_path: Path) -> None:
    bad = tmp_path / Encoder().model_id / "model.onnx"
    bad.parent.mkdir(parents=True)
    bad.write_bytes(b"not an onnx file")
    with pytest.raises(ModelLoadError, match="cannot load embedding model"):
        Encoder(backend="onnx", cache_dir=tmp_path).encode(["x"])
    auto = Encoder(cache_dir=tmp_path)
    assert auto.encode(["x"]).shape == (1, 384) and auto.backend == "torch"
