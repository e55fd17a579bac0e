"""Employees as arrays: the skills matrix and the few fields scoring reads.

Protected attributes are not loaded here at all: scoring cannot read what it never receives.
Single-employee writes land in an overlay (dense rows) so the big CSR matrix is not rebuilt on
every update; the overlay is folded back when it grows.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

from engine.catalog import Catalog
from engine.models import Employee

__all__ = ["People", "build_people"]

_COMPACT_AT = 2000


@dataclass
class People:
    ids: list[str]
    index: dict[str, int]
    names: list[str]
    role_idx: np.ndarray  # (N,) int, -1 when no role
    months: np.ndarray  # (N,) int
    interests: list[str]
    families: list[list[str]]  # preferred families from mobility preferences
    alive: np.ndarray  # (N,) bool; deleted rows stay as dead slots until the next full build
    have_csr: sp.csr_matrix  # (N0, S) levels of the rows present at build time
    overlay: dict[int, np.ndarray] = field(default_factory=dict)  # row -> dense (S,) levels
    n_skills: int = 0

    def __len__(self) -> int:
        return len(self.ids)

    @property
    def n_alive(self) -> int:
        return int(self.alive.sum())

    def have_rows(self, rows: np.ndarray | Sequence[int]) -> np.ndarray:
        """Dense (len(rows), S) skill levels."""
        rows = np.asarray(rows, dtype=np.int64)
        out = np.zeros((len(rows), self.n_skills), np.float32)
        base = rows < self.have_csr.shape[0]
        if base.any():
            out[base] = self.have_csr[rows[base]].toarray()
        for k, r in enumerate(rows):
            o = self.overlay.get(int(r))
            if o is not None:
                out[k] = o
        return out

    def profile_scores(self, profile: sp.spmatrix) -> np.ndarray:
        """Σ_s level_s x profile_s for every employee (profile: a 1 x S sparse row); one mat-vec."""
        vec = np.asarray(profile.todense(), np.float32).ravel()
        out = np.zeros(len(self.ids), np.float32)
        out[: self.have_csr.shape[0]] = self.have_csr @ vec
        for r, row in self.overlay.items():
            out[r] = row @ vec
        return out

    def have_matrix(self) -> sp.csr_matrix:
        """Full (N, S) CSR including overlay rows (used to compose employee vectors)."""
        self.compact(force=True)
        return self.have_csr

    def set(self, emp: Employee, catalog: Catalog) -> int:
        """Insert or replace one employee; returns its row."""
        row = np.zeros(self.n_skills, np.float32)
        for s in emp.skills:
            k = catalog.skill_index.get(s.skill_id)
            if k is not None:
                row[k] = s.level
        r = self.index.get(emp.id)
        role = catalog.role_index.get(emp.role_id, -1) if emp.role_id else -1
        if r is None:
            r = len(self.ids)
            self.ids.append(emp.id)
            self.index[emp.id] = r
            self.names.append(emp.display_name)
            self.interests.append(emp.interests)
            self.families.append(list(emp.mobility.families))
            self.role_idx = np.append(self.role_idx, role)
            self.months = np.append(self.months, emp.months_in_role)
            self.alive = np.append(self.alive, True)
        else:
            self.names[r] = emp.display_name
            self.interests[r] = emp.interests
            self.families[r] = list(emp.mobility.families)
            self.role_idx[r] = role
            self.months[r] = emp.months_in_role
            self.alive[r] = True
        self.overlay[r] = row
        self.compact()
        return r

    def remove(self, employee_id: str) -> int | None:
        r = self.index.pop(employee_id, None)
        if r is None:
            return None
        self.alive[r] = False
        self.overlay[r] = np.zeros(self.n_skills, np.float32)
        # Erasure: the dead slot keeps nothing about the person (saved snapshots included).
        self.ids[r] = ""
        self.names[r] = ""
        self.interests[r] = ""
        self.families[r] = []
        return r

    def compact(self, *, force: bool = False) -> None:
        if not self.overlay or (not force and len(self.overlay) < _COMPACT_AT):
            return
        n = len(self.ids)
        base = self.have_csr
        if base.shape[0] < n:
            base = sp.vstack([base, sp.csr_matrix((n - base.shape[0], self.n_skills), dtype=np.float32)]).tocsr()
        rows = np.fromiter(self.overlay.keys(), dtype=np.int64)
        keep = np.ones(n, np.float32)
        keep[rows] = 0.0
        patch = sp.csr_matrix(
            (np.stack(list(self.overlay.values())) if len(rows) else np.zeros((0, self.n_skills), np.float32)),
        )
        scatter = sp.csr_matrix((np.ones(len(rows), np.float32), (rows, np.arange(len(rows)))), shape=(n, len(rows)))
        merged = sp.diags(keep) @ base + scatter @ patch
        merged.eliminate_zeros()
        self.have_csr = merged.tocsr().astype(np.float32)
        self.overlay = {}


def _concat(parts: list[np.ndarray], dtype: type) -> np.ndarray:
    return np.concatenate(parts) if parts else np.zeros(0, dtype)


def build_people(
    rows: Sequence[tuple[str, str, str | None, int, str, str]],
    skill_rows: Iterable[Sequence[tuple[str, str, int]]],
    catalog: Catalog,
) -> People:
    """From store rows (id, name, role_id, months, interests, mobility json) and chunks of
    (employee, skill, level) rows, converted chunk by chunk into the sparse skills matrix."""
    ids = [r[0] for r in rows]
    index = {e: i for i, e in enumerate(ids)}
    si = catalog.skill_index
    er_parts: list[np.ndarray] = []
    sc_parts: list[np.ndarray] = []
    lv_parts: list[np.ndarray] = []
    for chunk in skill_rows:
        er = np.fromiter((index.get(e, -1) for e, _, _ in chunk), np.int32, len(chunk))
        sc = np.fromiter((si.get(s, -1) for _, s, _ in chunk), np.int32, len(chunk))
        lv = np.fromiter((level for _, _, level in chunk), np.float32, len(chunk))
        ok = (er >= 0) & (sc >= 0) & (lv > 0)
        er_parts.append(er[ok])
        sc_parts.append(sc[ok])
        lv_parts.append(lv[ok])
    have = sp.csr_matrix(
        (_concat(lv_parts, np.float32), (_concat(er_parts, np.int32), _concat(sc_parts, np.int32))),
        shape=(len(ids), catalog.n_skills),
        dtype=np.float32,
    )
    have.sum_duplicates()
    return People(
        ids=ids,
        index=index,
        names=[r[1] for r in rows],
        role_idx=np.asarray([catalog.role_index.get(r[2], -1) if r[2] else -1 for r in rows], np.int64),
        months=np.asarray([r[3] for r in rows], np.int64),
        interests=[r[4] for r in rows],
        families=[list(json.loads(r[5] or "{}").get("families", [])) for r in rows],
        alive=np.ones(len(ids), bool),
        have_csr=have,
        n_skills=catalog.n_skills,
    )
