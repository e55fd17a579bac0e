"""The index snapshot: everything derived from the store, saved so a new process loads it in ms.

``skillgraph index`` writes ``<home>/snapshot/``: a ``manifest.json`` naming three part files,
each stamped with the store version it was built from:

- ``catalog``   the catalog arrays, role graph, TF-IDF wording, role/skill/item vectors and the
                title matcher's vectors (rewritten only when the catalog changed);
- ``people``    employee ids, names, interests (and their vectors), roles, the skills matrix;
- ``employees`` the employee vector index, rows keyed by people row (no ids, no names).

A part file is ``magic | header length | JSON header | pickle | aligned raw arrays``, written
to a temporary file, fsynced and renamed; the manifest is replaced last, and part files it no
longer names are deleted, so an erased person leaves no file behind once the next snapshot is
saved (the facade saves one on every employee delete). Arrays are memory-mapped on load (no
parse, no copy); a CRC-32 over every section catches torn or flipped files, which are then
ignored and rebuilt from the store. The pickled objects are the engine's own derived data in
its own home directory (as trusted as the store itself).
"""

from __future__ import annotations

import contextlib
import copy
import dataclasses
import json
import logging
import mmap
import os
import pickle
import struct
import tempfile
import zlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import scipy.sparse as sp

if TYPE_CHECKING:
    from engine.indexer import State

__all__ = [
    "SNAPSHOT_DIR",
    "LazyTitles",
    "load_employee_index",
    "load_snapshot",
    "remove_snapshot",
    "save_snapshot",
    "snapshot_version",
]

log = logging.getLogger("skillgraph.snapshot")

SNAPSHOT_DIR = "snapshot"
FORMAT = 1
MAGIC = b"SGSNAP\r\n"
_LEN = struct.Struct("<Q")
_ALIGN = 64
PARTS = ("catalog", "people", "employees")


class SnapshotError(Exception):
    """A snapshot file is missing, torn or from another format: rebuild from the store."""


# -- one part file ---------------------------------------------------------------------------------
def _pad(n: int) -> int:
    return (-n) % _ALIGN


def _fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _atomic_write(dest: Path, chunks: list[bytes | memoryview]) -> None:
    fd, tmp = tempfile.mkstemp(dir=dest.parent, prefix=f".{dest.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            for c in chunks:
                fh.write(c)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, dest)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def write_part(path: Path, meta: dict[str, Any], obj: Any, arrays: dict[str, np.ndarray]) -> None:
    """One part file: ``meta`` (JSON), ``obj`` (pickled) and raw ``arrays`` at aligned offsets."""
    blob = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    sections: list[memoryview] = [memoryview(blob)]
    layout: dict[str, list[Any]] = {}
    for name, a in arrays.items():
        a = np.ascontiguousarray(a)
        layout[name] = [a.dtype.str, list(a.shape)]
        sections.append(memoryview(a).cast("B") if a.size else memoryview(b""))
    crc = 0
    for s in sections:
        crc = zlib.crc32(s, crc)
    # Offsets are relative to the first section; each array starts on a 64-byte boundary.
    offsets, off = [], 0
    for s in sections:
        off += _pad(off)
        offsets.append((off, s.nbytes))
        off += s.nbytes
    for spec, (o, n) in zip(layout.values(), offsets[1:], strict=True):
        spec += [o, n]
    header = json.dumps(
        {"format": FORMAT, **meta, "pickle": list(offsets[0]), "arrays": layout, "crc32": crc},
        separators=(",", ":"),
    ).encode()
    head = MAGIC + _LEN.pack(len(header)) + header
    head += b"\0" * _pad(len(head))
    chunks: list[bytes | memoryview] = [head]
    pos = 0
    for s, (o, n) in zip(sections, offsets, strict=True):
        if o > pos:
            chunks.append(b"\0" * (o - pos))
        chunks.append(s)
        pos = o + n
    _atomic_write(path, chunks)


def _crc_of(path: Path, spans: list[tuple[int, int]]) -> int:
    """CRC-32 of the given (offset, length) spans, read through a small buffer: checking a file
    never maps it all into the process (its peak memory stays what the answers need)."""
    crc = 0
    buf = bytearray(1 << 20)
    with open(path, "rb") as fh:
        for off, n in spans:
            fh.seek(off)
            while n > 0:
                got = fh.readinto(memoryview(buf)[: min(n, len(buf))])
                if not got:
                    raise SnapshotError(f"{path}: truncated")
                crc = zlib.crc32(memoryview(buf)[:got], crc)
                n -= got
    return crc


def read_part(path: Path) -> tuple[dict[str, Any], Any, dict[str, np.ndarray]]:
    """(header, object, arrays); arrays are read-only views of the memory-mapped file."""
    try:
        with open(path, "rb") as fh:
            mm = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
    except (OSError, ValueError) as exc:  # ValueError: an empty file cannot be mapped
        raise SnapshotError(f"{path}: {exc}") from None
    if mm[: len(MAGIC)] != MAGIC or len(mm) < len(MAGIC) + _LEN.size:
        raise SnapshotError(f"{path}: not a snapshot part")
    (hlen,) = _LEN.unpack_from(mm, len(MAGIC))
    start = len(MAGIC) + _LEN.size
    try:
        header = json.loads(mm[start : start + hlen])
    except ValueError:
        raise SnapshotError(f"{path}: unreadable header") from None
    if header.get("format") != FORMAT:
        raise SnapshotError(f"{path}: snapshot format {header.get('format')} (expected {FORMAT})")
    base = start + hlen + _pad(start + hlen)
    po, pn = header["pickle"]
    spans = [(po, pn)] + [(spec[2], spec[3]) for spec in header["arrays"].values()]
    if spans and base + max(o + n for o, n in spans) > len(mm):
        raise SnapshotError(f"{path}: truncated")
    if _crc_of(path, [(base + o, n) for o, n in spans]) != header["crc32"]:
        raise SnapshotError(f"{path}: checksum mismatch")
    view = memoryview(mm)
    obj = pickle.loads(view[base + po : base + po + pn])
    arrays = {}
    for name, (dtype, shape, o, n) in header["arrays"].items():
        dt = np.dtype(dtype)
        count = n // dt.itemsize if dt.itemsize else 0
        arrays[name] = np.frombuffer(mm, dtype=dt, count=count, offset=base + o).reshape(shape)
    view.release()
    return header, obj, arrays


# -- the three parts -------------------------------------------------------------------------------
def _catalog_part(st: State) -> tuple[Any, dict[str, np.ndarray]]:
    cat = copy.copy(st.catalog)
    for k in [k for k in cat.__dict__ if k.startswith("_")]:  # per-process caches
        del cat.__dict__[k]
    graph = dataclasses.replace(st.graph, _cache={})
    titles = st.titles.unwrap() if isinstance(st.titles, LazyTitles) else st.titles
    t_arrays, t_config = titles.state()
    alias_ids = st.skills_ix.ids
    dim = st.role_vecs.shape[1]
    obj = {
        "catalog": cat,
        "graph": graph,
        "role_terms": st.role_terms,
        "titles": t_config,
        "alias_ids": alias_ids,
        "catalog_version": st.catalog_version,
    }
    arrays = {
        "role_vecs": st.role_vecs,
        "role_raw": st.role_raw,
        "role_mean": st.role_mean,
        "skill_vecs": st.skill_vecs,
        "item_vecs": st.item_vecs,
        "alias_vecs": st.skills_ix.vectors(alias_ids) if alias_ids else np.zeros((0, dim), np.float32),
        **{f"t_{k}": v for k, v in t_arrays.items()},
    }
    return obj, arrays


def _people_part(st: State) -> tuple[Any, dict[str, np.ndarray]]:
    p = st.people
    have = p.have_matrix()  # folds the overlay in
    keys = list(st.interest_vecs)
    dim = st.role_vecs.shape[1]
    obj = {
        "ids": p.ids,
        "names": p.names,
        "interests": p.interests,
        "families": p.families,
        "n_skills": p.n_skills,
        "shape": list(have.shape),
        "interest_keys": keys,
    }
    arrays = {
        "role_idx": p.role_idx,
        "months": p.months,
        "alive": p.alive,
        "have_data": have.data,
        "have_indices": have.indices,
        "have_indptr": have.indptr,
        "interest_vecs": np.stack([st.interest_vecs[k] for k in keys]) if keys else np.zeros((0, dim), np.float32),
    }
    return obj, arrays


def _employees_part(st: State) -> tuple[Any, dict[str, np.ndarray]]:
    from embeddings import index_parts

    kind, params, id_at, vecs = index_parts(st.employees_ix)
    index = st.people.index
    rows = np.fromiter((index.get(i, -1) if i is not None else -1 for i in id_at), np.int64, len(id_at))
    obj = {"kind": kind, "params": params, "dim": st.employees_ix.dim}
    return obj, {"rows": rows} if vecs is None else {"rows": rows, "vecs": vecs}


_BUILDERS = {"catalog": _catalog_part, "people": _people_part, "employees": _employees_part}


def _manifest_path(home: Path) -> Path:
    return home / SNAPSHOT_DIR / "manifest.json"


def _read_manifest(home: Path) -> dict[str, Any] | None:
    try:
        m = json.loads(_manifest_path(home).read_text())
    except (OSError, ValueError):
        return None
    return m if isinstance(m, dict) and m.get("format") == FORMAT else None


def snapshot_version(home: Path) -> str | None:
    """The store version of the saved snapshot, or None when there is none."""
    m = _read_manifest(home)
    return m.get("version") if m else None


def save_snapshot(st: State, home: Path, *, reuse: bool = True) -> None:
    """Write the parts that changed since the saved snapshot (every part unless ``reuse``), then
    the manifest; drop part files it no longer names."""
    d = home / SNAPSHOT_DIR
    d.mkdir(parents=True, exist_ok=True)
    old = _read_manifest(home) or {}
    old_parts: dict[str, Any] = old.get("parts", {}) if old.get("store") == _store_id(st.version) else {}
    sid, no = _store_id(st.version), st.version_no
    parts: dict[str, Any] = {}
    for name in PARTS:
        stamp = st.catalog_version if name == "catalog" else no
        prev = old_parts.get(name)
        if reuse and prev and prev.get("stamp") == stamp and (d / prev["file"]).exists():
            parts[name] = prev  # unchanged since it was saved
            continue
        obj, arrays = _BUILDERS[name](st)
        token = f"{name}-{no}-{os.urandom(4).hex()}"
        write_part(d / f"{token}.part", {"part": name, "version": st.version, "stamp": stamp}, obj, arrays)
        parts[name] = {"file": f"{token}.part", "stamp": stamp}
        if name == "employees" and "vecs" not in arrays:  # HNSW: graph and vectors in FAISS's format
            from embeddings import write_graph

            graph = d / f"{token}.faiss"
            write_graph(st.employees_ix, graph)
            parts[name] |= {"graph": graph.name, "graph_crc32": _crc_of(graph, [(0, graph.stat().st_size)])}
    manifest = {
        "format": FORMAT,
        "version": st.version,
        "store": sid,
        "version_no": no,
        "model": _model_id(st.encoder),
        "parts": parts,
    }
    _atomic_write(_manifest_path(home), [json.dumps(manifest, indent=1).encode()])
    _fsync_dir(d)
    keep = {p["file"] for p in parts.values()} | {p["graph"] for p in parts.values() if "graph" in p}
    keep.add("manifest.json")
    for f in d.iterdir():
        if f.name not in keep and (f.suffix in (".part", ".faiss") or f.name.endswith(".tmp")):
            with contextlib.suppress(OSError):
                f.unlink()


def remove_snapshot(home: Path) -> None:
    """Delete every snapshot file (an unusable snapshot after an erasure)."""
    d = home / SNAPSHOT_DIR
    if d.is_dir():
        for f in d.iterdir():
            with contextlib.suppress(OSError):
                f.unlink()


def _model_id(encoder: Any) -> str | None:
    return getattr(encoder, "model_id", None) if encoder is not None else None


def _usable(m: dict[str, Any] | None, store_version: str, encoder: Any) -> bool:
    """Same store, not ahead of it (a restored backup), built with the same model."""
    if m is None or m.get("store") != _store_id(store_version):
        return False
    if int(m.get("version_no", -1)) > int(store_version.rsplit(":", 1)[1]):
        return False
    return encoder is None or m.get("model") == _model_id(encoder)


def _store_id(version: str) -> str:
    return version.rsplit(":", 1)[0]


# -- loading -----------------------------------------------------------------------------------------
class LazyTitles:
    """The title matcher, built on first use: from its saved vectors after a snapshot load (its
    TF-IDF fit imports scikit-learn, which a next-role request never pays for), or from the
    catalog after a role's wording changed (the next title resolution re-encodes what changed)."""

    def __init__(self, arrays: dict[str, np.ndarray], config: dict[str, Any]) -> None:
        self._arrays, self._config = arrays, config
        self._builder: Any = None
        self._built: Any = None

    @classmethod
    def deferred(cls, catalog: Any, encode: Any) -> LazyTitles:
        lazy = cls({}, {})

        def build() -> Any:
            from engine.title_match import TitleMatcher

            roles = catalog.roles
            titles, descriptions = [r.title for r in roles], [r.description for r in roles]
            return TitleMatcher.build(catalog.role_ids, titles, descriptions, encode)

        lazy._builder = build
        return lazy

    def unwrap(self) -> Any:
        if self._built is None:
            if self._builder is not None:
                self._built = self._builder()
                self._builder = None  # drops the encoder and its memory cache
            else:
                from engine.title_match import TitleMatcher

                self._built = TitleMatcher.from_state(self._arrays, self._config)
            self._arrays, self._config = {}, {}
        return self._built

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self.unwrap(), name)


def load_snapshot(home: Path, store_version: str, *, encoder: Any, hours_per_week: float) -> State | None:
    """The saved state of this store (possibly older than ``store_version``), or None."""
    for _ in range(3):  # a concurrent save may delete the parts of the manifest just read
        m = _read_manifest(home)
        if not _usable(m, store_version, encoder):
            return None
        assert m is not None
        try:
            return _assemble(home, m, encoder=encoder, hours_per_week=hours_per_week)
        except FileNotFoundError:
            continue
        except (SnapshotError, KeyError, ValueError, TypeError, RuntimeError, pickle.UnpicklingError, EOFError) as exc:
            log.warning("snapshot in %s unusable (%s); rebuilding from the store", home, exc)
            return None
    return None


def load_employee_index(home: Path, store_version: str, encoder: Any) -> tuple[Any, int] | None:
    """(the saved employee index, the version it was saved at) for a full build to update."""
    from embeddings import index_from_parts

    m = _read_manifest(home)
    if not _usable(m, store_version, encoder):
        return None
    assert m is not None
    d = home / SNAPSHOT_DIR
    try:
        _, p, _ = read_part(d / m["parts"]["people"]["file"])
        _, e, ea = read_part(d / m["parts"]["employees"]["file"])
        ids = p["ids"]
        id_at = [ids[r] if r >= 0 else None for r in ea["rows"].tolist()]
        ix = index_from_parts(e["kind"], int(e["dim"]), e["params"], id_at, ea.get("vecs"), _graph(d, m))
    except (SnapshotError, KeyError, ValueError, TypeError, IndexError, RuntimeError, pickle.UnpicklingError,
            EOFError) as exc:
        log.warning("saved employee index in %s unusable (%s); rebuilding it", home, exc)
        return None
    return ix, int(m["version_no"])


def _graph(d: Path, m: dict[str, Any]) -> Path | None:
    """The HNSW graph file of the employees part, checked against its CRC; None for exact indexes."""
    entry = m["parts"]["employees"]
    if "graph" not in entry:
        return None
    path = d / entry["graph"]
    if not path.exists():
        raise FileNotFoundError(path)
    if _crc_of(path, [(0, path.stat().st_size)]) != entry["graph_crc32"]:
        raise SnapshotError(f"{path}: checksum mismatch")
    return path


def _assemble(home: Path, m: dict[str, Any], *, encoder: Any, hours_per_week: float) -> State:
    from embeddings import FlatIndex, index_from_parts
    from engine.indexer import State
    from engine.people import People

    d = home / SNAPSHOT_DIR
    loaded = {}
    for name in PARTS:
        path = d / m["parts"][name]["file"]
        if not path.exists():
            raise FileNotFoundError(path)
        loaded[name] = read_part(path)
    _, c, ca = loaded["catalog"]
    _, p, pa = loaded["people"]
    _, e, ea = loaded["employees"]
    dim = int(ca["role_vecs"].shape[1])
    have = sp.csr_matrix((pa["have_data"], pa["have_indices"], pa["have_indptr"]), shape=tuple(p["shape"]))
    people = People(
        ids=p["ids"],
        index={e_: i for i, (e_, alive) in enumerate(zip(p["ids"], pa["alive"].tolist(), strict=True)) if alive},
        names=p["names"],
        role_idx=pa["role_idx"].copy(),  # small and written in place by single-employee updates
        months=pa["months"].copy(),
        interests=p["interests"],
        families=p["families"],
        alive=pa["alive"].copy(),
        have_csr=have,
        n_skills=int(p["n_skills"]),
    )
    ids = people.ids
    id_at = [ids[r] if r >= 0 else None for r in ea["rows"].tolist()]
    employees_ix = index_from_parts(e["kind"], int(e["dim"]), e["params"], id_at, ea.get("vecs"), _graph(d, m))

    def flat(ids_: list[str], vecs: np.ndarray) -> FlatIndex:
        ix = FlatIndex(dim)
        if ids_:
            ix.add(ids_, vecs)
        return ix

    cat = c["catalog"]
    t_arrays = {k[2:]: v for k, v in ca.items() if k.startswith("t_")}
    return State(
        version=m["version"],
        version_no=int(m["version_no"]),
        catalog=cat,
        people=people,
        role_vecs=ca["role_vecs"],
        role_raw=ca["role_raw"],
        role_mean=ca["role_mean"],
        role_terms=c["role_terms"],
        skill_vecs=ca["skill_vecs"],
        item_vecs=ca["item_vecs"],
        interest_vecs=dict(zip(p["interest_keys"], pa["interest_vecs"], strict=True)),
        roles_ix=flat(cat.role_ids, ca["role_vecs"]),
        skills_ix=flat(c["alias_ids"], ca["alias_vecs"]),
        items_ix=flat([i.id for i in cat.items], ca["item_vecs"]),
        employees_ix=employees_ix,
        graph=c["graph"],
        titles=LazyTitles(t_arrays, c["titles"]),
        encoder=encoder,
        home=home,
        hours_per_week=hours_per_week,
        catalog_version=int(c["catalog_version"]),
    )
