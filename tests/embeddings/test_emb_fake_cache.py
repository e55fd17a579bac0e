"""FakeEncoder behaviour, text keys, MemoryCache and CachedEncoder."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest

from embeddings import CachedEncoder, FakeEncoder, MemoryCache, TextCache, TextEncoder, text_key


class SpyEncoder(FakeEncoder):
    """FakeEncoder that records every batch it is asked to encode."""

    def __init__(self, dim: int = 384) -> None:
        super().__init__(dim)
        self.batches: list[list[str]] = []

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        self.batches.append(list(texts))
        return super().encode(texts)


def test_fake_encoder_shape_norm_determinism(fake_encoder: FakeEncoder) -> None:
    assert isinstance(fake_encoder, TextEncoder)
    assert fake_encoder.dim == 384 and fake_encoder.model_id
    v = fake_encoder.encode(["Registered Nurse", "registered nurse", "", "!!!"])
    assert v.shape == (4, 384) and v.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(v, axis=1), 1.0, rtol=1e-5)
    np.testing.assert_array_equal(v[0], v[1])  # case-insensitive
    np.testing.assert_array_equal(v, FakeEncoder().encode(["Registered Nurse", "registered nurse", "", "!!!"]))
    assert fake_encoder.encode([]).shape == (0, 384)


def test_fake_encoder_shared_words_are_closer(fake_encoder: FakeEncoder) -> None:
    nurse, rn, dev, devs = fake_encoder.encode(["nurse", "registered nurse", "software engineer", "software"])
    assert nurse @ rn > nurse @ dev
    assert devs @ dev > devs @ rn
    a, b, c = fake_encoder.encode(["python programming", "python programmer", "forklift driving"])
    assert a @ b > a @ c  # trigrams reward shared word stems


def test_fake_encoder_other_dim_and_bad_input() -> None:
    enc = FakeEncoder(dim=16)
    assert enc.encode(["a b c"]).shape == (1, 16) and enc.model_id != FakeEncoder().model_id
    with pytest.raises(TypeError):
        enc.encode("not a list")
    with pytest.raises(TypeError):
        enc.encode([1, 2])  # type: ignore[list-item]


def test_text_key_is_sha256_and_namespaced() -> None:
    k = text_key("m1", "nurse")
    assert len(k) == 64 and int(k, 16) >= 0
    assert k == text_key("m1", "nurse")
    assert k != text_key("m2", "nurse") and k != text_key("m1", "Nurse")
    assert text_key("ab", "c") != text_key("a", "bc")


def test_memory_cache_protocol_and_namespacing() -> None:
    cache = MemoryCache()
    assert isinstance(cache, TextCache)
    v = np.arange(4, dtype=np.float32)
    cache.put_many("m1", {"k": v})
    v[0] = 99  # stored copy is independent of the caller's array
    got = cache.get_many("m1", ["k", "missing"])
    assert list(got) == ["k"] and got["k"][0] == 0
    assert cache.get_many("m2", ["k"]) == {}
    assert len(cache) == 1


def test_cached_encoder_hits_skip_encoding() -> None:
    spy = SpyEncoder()
    enc = CachedEncoder(spy, MemoryCache())
    assert enc.model_id == spy.model_id and enc.dim == spy.dim
    first = enc.encode(["nurse", "welder"])
    assert spy.batches == [["nurse", "welder"]]
    assert (enc.hits, enc.misses) == (0, 2)
    second = enc.encode(["welder", "nurse", "pilot"])
    assert spy.batches[-1] == ["pilot"]  # only the new text reaches the encoder
    assert (enc.hits, enc.misses) == (2, 3)
    np.testing.assert_array_equal(second[0], first[1])
    np.testing.assert_array_equal(second[1], first[0])
    enc.encode(["pilot", "nurse"])
    assert len(spy.batches) == 2  # all cached: no call at all
    assert enc.hits == 4


def test_cached_encoder_dedupes_within_batch() -> None:
    spy = SpyEncoder()
    enc = CachedEncoder(spy, MemoryCache())
    out = enc.encode(["a", "b", "a", "a", "b"])
    assert spy.batches == [["a", "b"]]
    assert enc.misses == 2 and enc.hits == 0
    assert out.shape == (5, 384)
    np.testing.assert_array_equal(out, spy.encode(["a", "b", "a", "a", "b"]))


def test_cached_encoder_empty_and_output_is_independent() -> None:
    spy = SpyEncoder()
    enc = CachedEncoder(spy, MemoryCache())
    assert enc.encode([]).shape == (0, 384) and spy.batches == []
    out = enc.encode(["x"])
    out[0, :] = 0  # mutating the result must not poison the cache
    np.testing.assert_allclose(np.linalg.norm(enc.encode(["x"])[0]), 1.0, rtol=1e-5)


def test_cached_encoder_shares_cache_per_model_id() -> None:
    cache = MemoryCache()
    a = CachedEncoder(SpyEncoder(), cache)
    a.encode(["nurse"])
    other_model = SpyEncoder(dim=16)
    b = CachedEncoder(other_model, cache)
    assert b.encode(["nurse"]).shape == (1, 16)
    assert other_model.batches == [["nurse"]]  # different model id: no cross-talk
    c = CachedEncoder(SpyEncoder(), cache)
    c.encode(["nurse"])
    assert c.hits == 1 and c.misses == 0


def test_cached_encoder_treats_wrong_shape_as_miss() -> None:
    cache = MemoryCache()
    spy = SpyEncoder()
    cache.put_many(spy.model_id, {text_key(spy.model_id, "nurse"): np.zeros(3, np.float32)})
    out = CachedEncoder(spy, cache).encode(["nurse"])
    assert out.shape == (1, 384) and spy.batches == [["nurse"]]
