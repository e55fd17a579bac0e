"""Real sentence-transformers encoder: error handling (fast) and the bundled model (slow)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pytest

from embeddings import BUNDLED_MODEL_ID, Encoder, ModelLoadError


def test_missing_model_dir_raises_clear_error(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-model"
    enc = Encoder(missing)  # construction touches nothing
    assert not enc.loaded
    with pytest.raises(ModelLoadError) as err:
        enc.load()
    msg = str(err.value)
    assert msg.startswith("cannot load embedding model from ") and str(missing) in msg
    assert err.value.__cause__ is None
    with pytest.raises(ModelLoadError, match="no-such-model"):
        enc.encode(["x"])


def test_file_instead_of_dir_and_empty_dir(tmp_path: Path) -> None:
    f = tmp_path / "model.bin"
    f.write_bytes(b"nope")
    with pytest.raises(ModelLoadError, match="not a directory"):
        Encoder(f).load()
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(ModelLoadError, match=str(empty)):
        Encoder(empty).load()


@pytest.mark.slow
def test_broken_model_dir_raises_model_load_error(tmp_path: Path) -> None:
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "config.json").write_text(json.dumps({"model_type": "bert", "hidden_size": 8}))
    (broken / "modules.json").write_text("{not json")
    with pytest.raises(ModelLoadError) as err:
        Encoder(broken).load()
    assert str(broken) in str(err.value) and "\n" not in str(err.value)


def test_custom_model_id_hashes_config(tmp_path: Path) -> None:
    a, b = tmp_path / "a" / "m", tmp_path / "b" / "m"
    for d, size in ((a, 8), (b, 16)):
        d.mkdir(parents=True)
        (d / "config.json").write_text(json.dumps({"hidden_size": size}))
    ida, idb = Encoder(a).model_id, Encoder(str(b)).model_id
    assert ida.startswith("m-") and idb.startswith("m-") and ida != idb
    assert Encoder(a).model_id == ida  # stable


def test_bad_arguments() -> None:
    with pytest.raises(ValueError):
        Encoder(batch_size=0)
    with pytest.raises(ValueError):
        Encoder(num_threads=0)


@pytest.mark.slow
def test_bundled_model_loads_offline(real_encoder: Encoder) -> None:
    assert real_encoder.model_id == BUNDLED_MODEL_ID
    assert real_encoder.dim == 384
    assert os.environ.get("HF_HUB_OFFLINE") == "1"
    # The bundled path spelled explicitly is the same model id.
    assert Encoder(real_encoder.path).model_id == BUNDLED_MODEL_ID


@pytest.mark.slow
def test_bundled_model_vectors(real_encoder: Encoder) -> None:
    v = real_encoder.encode(["registered nurse", "nurse", "software engineer"])
    assert v.shape == (3, 384) and v.dtype == np.float32 and v.flags.c_contiguous
    np.testing.assert_allclose(np.linalg.norm(v, axis=1), 1.0, rtol=1e-5)
    rn, nurse, swe = v
    assert rn @ nurse > rn @ swe
    assert real_encoder.encode([]).shape == (0, 384)
    with pytest.raises(TypeError):
        real_encoder.encode("registered nurse")


@pytest.mark.slow
def test_bundled_model_is_deterministic(real_encoder: Encoder) -> None:
    a = real_encoder.encode(["registered nurse"])
    b = real_encoder.encode(["registered nurse"])
    np.testing.assert_array_equal(a, b)
    # position inside a batch does not change the vector beyond float noise
    c = real_encoder.encode(["a much longer sentence about hospital wards", "registered nurse"])
    np.testing.assert_allclose(c[1], a[0], atol=1e-5)


@pytest.mark.slow
def test_encode_restores_torch_threads(real_encoder: Encoder) -> None:
    import torch

    before = torch.get_num_threads()
    real_encoder.encode(["welder"])
    assert torch.get_num_threads() == before
