"""The naive baseline: what someone would write without skillgraph, per request.

Recommend (one employee):
  1. render the employee's profile as one text (role title, top skills, interests) and encode it
     with the real model, a single text per request;
  2. brute-force cosine of that vector against every role vector (numpy, role vectors precomputed
     once, as anyone would);
  3. coverage of every role's requirements in a plain Python loop;
  4. blend (0.5 similarity + 0.5 coverage), top k;
  5. routes: NetworkX Dijkstra from scratch on the same role graph (``single_source_dijkstra``).

Shortlist (one role): a Python loop over every employee's skills dict computing coverage of the
role's requirements plus a level fit, sorted; no vectors (encoding every employee per request
would be far slower still).

Build (estimate): one transformer pass per employee profile text, extrapolated from a timed
sample; the naive design has no composed vectors.

Same data as the engine: roles, requirements, skills and employees are read from the same store,
and the graph is the engine's own ``state.graph.G``.
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass
from typing import Any

import networkx as nx
import numpy as np

__all__ = ["NaiveBaseline"]

TOP_SKILLS_IN_TEXT = 8


@dataclass
class _NRole:
    id: str
    title: str
    level: int
    reqs: list[tuple[str, float, float]]  # (skill id, need, weight)


class NaiveBaseline:
    def __init__(self, store: Any, encoder: Any, role_vecs: np.ndarray, role_ids: list[str], G: nx.DiGraph) -> None:
        intern = sys.intern
        roles = {r.id: r for r in store.all("role")}
        self.roles = [
            _NRole(
                rid, roles[rid].title, roles[rid].level,
                [(intern(q.skill_id), float(q.level), float(q.weight)) for q in roles[rid].requirements if q.level > 0],
            )
            for rid in role_ids
        ]
        self.role_pos = {r.id: i for i, r in enumerate(self.roles)}
        self.role_vecs = np.asarray(role_vecs, np.float32)
        self.skill_names = {s.id: s.name for s in store.all("skill")}
        self.encoder = encoder
        self.G = G
        # Employees as plain dicts: id -> (role id, {skill: level}, interests).
        self.employees: dict[str, tuple[str | None, dict[str, int], str]] = {}
        for eid, _name, role_id, _months, interests, _mob in store.employee_rows():
            self.employees[eid] = (role_id, {}, interests or "")
        for eid, sid, level in store.employee_skill_rows():
            e = self.employees.get(eid)
            if e is not None:
                e[1][intern(sid)] = int(level)

    # -- helpers -----------------------------------------------------------------------------------
    def profile_text(self, employee_id: str) -> str:
        role_id, skills, interests = self.employees[employee_id]
        title = self.roles[self.role_pos[role_id]].title if role_id in self.role_pos else ""
        top = sorted(skills.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_SKILLS_IN_TEXT]
        parts = [title, ", ".join(self.skill_names.get(s, s) for s, _ in top), interests]
        return ". ".join(p for p in parts if p)

    @staticmethod
    def coverage(reqs: list[tuple[str, float, float]], have: dict[str, int]) -> float:
        num = den = 0.0
        for sid, need, w in reqs:
            h = have.get(sid, 0)
            num += w * min(h, need) / need
            den += w
        return num / den if den > 0 else 1.0

    # -- per request -------------------------------------------------------------------------------
    def recommend(self, employee_id: str, limit: int = 10) -> list[tuple[str, float, float, list[str]]]:
        role_id, have, _ = self.employees[employee_id]
        v = self.encoder.encode([self.profile_text(employee_id)])[0]
        norms = np.linalg.norm(self.role_vecs, axis=1) * max(float(np.linalg.norm(v)), 1e-9)
        sims = (self.role_vecs @ v) / np.maximum(norms, 1e-9)
        scores = []
        for i, r in enumerate(self.roles):
            if r.id == role_id:
                continue
            cov = self.coverage(r.reqs, have)
            scores.append((0.5 * float(sims[i]) + 0.5 * cov, cov, r.id))
        scores.sort(reverse=True)
        top = scores[:limit]
        paths: dict[str, list[str]] = {}
        if role_id is not None and role_id in self.G:
            _, paths = nx.single_source_dijkstra(self.G, role_id, weight="cost")
        return [(rid, s, cov, paths.get(rid, [rid])) for s, cov, rid in top]

    def shortlist(self, role_id: str, limit: int = 20) -> list[tuple[str, float]]:
        r = self.roles[self.role_pos[role_id]]
        out = []
        for eid, (cur, have, _) in self.employees.items():
            if cur == role_id:
                continue
            cur_level = self.roles[self.role_pos[cur]].level if cur in self.role_pos else r.level - 1
            d = r.level - cur_level
            if d > 2:
                continue
            fit = 1.0 if d == 1 else 0.9 if d == 0 else 0.5 if d == 2 else 0.4
            out.append((0.8 * self.coverage(r.reqs, have) + 0.2 * fit, eid))
        out.sort(reverse=True)
        return [(e, s) for s, e in out[:limit]]

    def build_estimate(self, sample: int = 256) -> dict[str, float]:
        """Seconds to encode every employee's profile text, extrapolated from a timed sample."""
        ids = list(self.employees)[:sample]
        texts = [self.profile_text(e) for e in ids]
        if not texts:
            return {"per_text_ms": 0.0, "seconds_est": 0.0, "sample": 0}
        t0 = time.perf_counter()
        self.encoder.encode(texts)
        dt = time.perf_counter() - t0
        per = dt / len(texts)
        return {
            "per_text_ms": round(per * 1000, 3),
            "seconds_est": round(per * len(self.employees), 2),
            "sample": len(texts),
        }
