"""Single-file, checksummed, atomically written vector-index persistence.

File layout (little-endian)::

    magic      8 bytes   b"SGVIDX\\r\\n"   (CR/LF catch text-mode mangling)
    checksum  32 bytes   sha256 of everything after this field
    header    struct     _HEADER: format, kind, dim, live count, section lengths
    version   bytes      store version (utf-8)
    meta      bytes      JSON: {"ids": [id or null per row], "params": {...}}
    faiss     bytes      faiss.serialize_index(...)
    vectors   bytes      float32 rows, row-aligned with "ids"

The checksum covers the header too, so a flipped bit anywhere (or a truncated
file) is reported as :class:`CorruptIndex` before FAISS ever parses the bytes.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import struct
import tempfile
from pathlib import Path
from typing import Any, BinaryIO

import faiss
import numpy as np

from .errors import CorruptIndex, StaleIndex
from .flat import FlatIndex
from .hnsw import HNSWIndex
from .index import VectorIndex

__all__ = [
    "FORMAT_VERSION", "MAGIC", "index_from_parts", "index_parts", "load_index", "read_index_version", "save_index",
    "write_graph",
]

MAGIC = b"SGVIDX\r\n"
FORMAT_VERSION = 1
_DIGEST = 32
_HEADER = struct.Struct("<HBxIQHQQQ")  # format, kind, pad, dim, count, version_len, meta/faiss/vec lengths
_PREFIX = len(MAGIC) + _DIGEST
_KINDS: dict[int, type[VectorIndex]] = {1: FlatIndex, 2: HNSWIndex}
_KIND_CODE = {cls: code for code, cls in _KINDS.items()}


def _fsync_dir(path: Path) -> None:
    # Makes the rename itself durable; not supported on every platform/filesystem.
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def save_index(index: VectorIndex, path: str | os.PathLike[str], *, version: str) -> None:
    """Write ``index`` to ``path`` atomically.

    Data goes to a temporary file in the same directory, is fsynced, then
    ``os.replace``-d over ``path`` (and the directory fsynced), so readers see
    either the old file or the complete new one, never a partial write.

    Parameters
    ----------
    index : VectorIndex
        Index to persist (its current state, tombstones included).
    path : str | PathLike
        Destination file; parent directories are created.
    version : str
        Store version the index was built from; checked by :func:`load_index`.
    """
    code = _KIND_CODE.get(type(index))
    if code is None:
        raise TypeError(f"cannot persist {type(index).__name__}; expected FlatIndex or HNSWIndex")
    dest = Path(path)
    dest.parent.mkdir(parents=True, exist_ok=True)
    version_b = version.encode("utf-8")
    if len(version_b) > 0xFFFF:
        raise ValueError("version string too long")
    with index._lock:  # consistent snapshot of ids/vectors/graph
        faiss_idx, id_at, vecs, params = index._export_state()
        faiss_b = faiss.serialize_index(faiss_idx).tobytes()
        meta_b = json.dumps({"ids": id_at, "params": params}, separators=(",", ":")).encode("utf-8")
        vec_b = np.ascontiguousarray(vecs, dtype="<f4").tobytes()
        header = _HEADER.pack(
            FORMAT_VERSION, code, index.dim, len(index), len(version_b), len(meta_b), len(faiss_b), len(vec_b)
        )
    fd, tmp_name = tempfile.mkstemp(dir=dest.parent, prefix=f".{dest.name}.", suffix=".tmp")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as fh:
            _write_body(fh, header, (version_b, meta_b, faiss_b, vec_b))
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, dest)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    _fsync_dir(dest.parent)


def _write_body(fh: BinaryIO, header: bytes, sections: tuple[bytes, ...]) -> None:
    digest = hashlib.sha256(header)
    for s in sections:
        digest.update(s)
    fh.write(MAGIC)
    fh.write(digest.digest())
    fh.write(header)
    for s in sections:
        fh.write(s)


def _parse_header(path: Path, head: bytes) -> tuple[int, int, int, int, int, int, int, int]:
    if len(head) < len(MAGIC) or head[: len(MAGIC)] != MAGIC:
        raise CorruptIndex(f"{path}: not a skillgraph index file (bad magic)")
    if len(head) < _PREFIX + _HEADER.size:
        raise CorruptIndex(f"{path}: truncated header")
    fields = _HEADER.unpack_from(head, _PREFIX)
    if fields[0] != FORMAT_VERSION:
        raise CorruptIndex(f"{path}: unsupported index format {fields[0]} (expected {FORMAT_VERSION})")
    return fields


def read_index_version(path: str | os.PathLike[str]) -> str | None:
    """Store version recorded in the file, or ``None`` if the file does not exist.

    Reads only the header (no checksum verification); raises :class:`CorruptIndex`
    if the header itself is unreadable.
    """
    p = Path(path)
    try:
        with p.open("rb") as fh:
            head = fh.read(_PREFIX + _HEADER.size)
            fields = _parse_header(p, head)
            version_b = fh.read(fields[4])
    except FileNotFoundError:
        return None
    if len(version_b) != fields[4]:
        raise CorruptIndex(f"{p}: truncated header")
    try:
        return version_b.decode("utf-8")
    except UnicodeDecodeError:
        raise CorruptIndex(f"{p}: unreadable version string") from None


def load_index(path: str | os.PathLike[str], *, expected_version: str | None = None) -> VectorIndex:
    """Load an index written by :func:`save_index`.

    Raises
    ------
    FileNotFoundError
        ``path`` does not exist.
    CorruptIndex
        Bad magic, checksum mismatch, truncation or inconsistent contents.
    StaleIndex
        ``expected_version`` is given and differs from the stored version.
    """
    p = Path(path)
    data = memoryview(p.read_bytes())
    _, code, dim, count, vlen, mlen, flen, veclen = _parse_header(p, bytes(data[: _PREFIX + _HEADER.size]))
    body_start = _PREFIX + _HEADER.size
    if len(data) != body_start + vlen + mlen + flen + veclen:
        raise CorruptIndex(f"{p}: size {len(data)} does not match its header (truncated or padded)")
    if hashlib.sha256(data[_PREFIX:]).digest() != bytes(data[len(MAGIC) : _PREFIX]):
        raise CorruptIndex(f"{p}: checksum mismatch")
    cls = _KINDS.get(code)
    if cls is None:
        raise CorruptIndex(f"{p}: unknown index kind {code}")

    off = body_start
    sections = []
    for n in (vlen, mlen, flen, veclen):
        sections.append(data[off : off + n])
        off += n
    version_b, meta_b, faiss_b, vec_b = sections
    version = bytes(version_b).decode("utf-8", errors="replace")
    if expected_version is not None and version != expected_version:
        raise StaleIndex(
            f"{p}: index built for store version {version!r}, expected {expected_version!r}",
            found=version,
            expected=expected_version,
        )
    try:
        meta = json.loads(bytes(meta_b))
        id_at = meta["ids"]
        params = meta["params"]
        if not isinstance(id_at, list) or not all(i is None or isinstance(i, str) for i in id_at):
            raise ValueError("ids section is not a list of strings/nulls")
        if veclen != len(id_at) * dim * 4:
            raise ValueError("vector section size does not match the id count")
        vecs = np.frombuffer(vec_b, dtype="<f4").reshape(len(id_at), dim).astype(np.float32)
        faiss_idx = faiss.deserialize_index(np.frombuffer(faiss_b, dtype=np.uint8))
        index = cls._from_state(dim, faiss_idx, id_at, vecs, params)
    except (ValueError, KeyError, TypeError, RuntimeError) as exc:
        raise CorruptIndex(f"{p}: inconsistent contents: {exc}") from None
    if len(index) != count:
        raise CorruptIndex(f"{p}: header says {count} vectors, file holds {len(index)}")
    return index


def index_parts(index: VectorIndex) -> tuple[str, dict[str, Any], list[str | None], np.ndarray | None]:
    """(kind, params, id per row, row vectors) of an index, for callers that store the ids
    themselves (the engine's snapshot keys rows by employee row, so no file it writes for the
    vectors holds an id). An exact index is rebuilt from its vectors on load; an HNSW index
    returns None for them: its graph file (:func:`write_graph`) holds the vectors too."""
    code = _KIND_CODE.get(type(index))
    if code is None:
        raise TypeError(f"cannot persist {type(index).__name__}; expected FlatIndex or HNSWIndex")
    with index._lock:
        _faiss_idx, id_at, vecs, params = index._export_state()
        if isinstance(index, HNSWIndex):
            return index.kind, params, id_at, None
        return index.kind, params, id_at, np.array(vecs, dtype=np.float32)


def write_graph(index: VectorIndex, path: Path) -> None:
    """Write an HNSW index's FAISS structure (graph and vectors) straight to ``path``, atomically
    (no in-memory serialised copy: at 100k employees that copy alone is ~200 MB)."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        with index._lock:
            faiss.write_index(index._faiss, tmp)
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def index_from_parts(
    kind: str, dim: int, params: dict[str, Any], id_at: list[str | None], vecs: np.ndarray | None,
    graph: Path | None = None,
) -> VectorIndex:
    """Inverse of :func:`index_parts` (+ :func:`write_graph` for HNSW); ``ValueError`` when the
    parts disagree."""
    cls = {c.kind: c for c in _KINDS.values()}.get(kind)
    if cls is None:
        raise ValueError(f"unknown index kind {kind!r}")
    if cls is HNSWIndex:
        if graph is None:
            raise ValueError("an HNSW index needs its graph file")
        faiss_idx = faiss.read_index(str(graph))
        rows = np.broadcast_to(np.zeros(dim, np.float32), (len(id_at), dim))  # HNSW keeps its own
        return cls._from_state(dim, faiss_idx, id_at, rows, params)
    vecs = np.asarray(vecs, dtype=np.float32)
    if vecs.shape != (len(id_at), dim):
        raise ValueError(f"vector block shape {vecs.shape} does not match {len(id_at)} rows of dim {dim}")
    index = cls(dim, **params)
    live = [r for r, i in enumerate(id_at) if i is not None]
    if live:
        index.add([id_at[r] for r in live], vecs[live])  # type: ignore[misc]
    return index
