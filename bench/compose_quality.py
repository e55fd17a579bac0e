"""How much do composed employee vectors differ from encoding each employee's text?

    python -m bench.compose_quality

Builds the demo organisation with the real model, then for every employee compares the composed
vector (role + level-weighted skills + interests, no transformer pass) with the vector of a
one-text rendering of the same employee (`engine.texts.employee_text`, one transformer pass each):
cosine between the two, overlap of the 10 nearest roles, and agreement of the top-1 internal move
(nearest role other than their own), plus the time each way costs.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import numpy as np

from engine.api import Skillgraph
from engine.config import Config
from engine.demo_run import load_demo_org
from engine.texts import employee_text


def main() -> None:
    with tempfile.TemporaryDirectory() as d:
        sg = Skillgraph(Config(db_url=f"sqlite:///{d}/c.db", home=Path(d) / "home")).init()
        load_demo_org(sg)
        sg.build_index()
        st = sg.state()
        emps = sg.store.all("employee")
        names = {s.id: s.name for s in st.catalog.skills}
        titles = {r.id: r.title for r in st.catalog.roles}
        texts = [employee_text(e, titles.get(e.role_id or ""), names) for e in emps]  # type: ignore[attr-defined]
        t0 = time.perf_counter()
        direct = sg.encoder.encode(texts)
        t_direct = time.perf_counter() - t0
        ids = [e.id for e in emps]  # type: ignore[attr-defined]
        t0 = time.perf_counter()
        from engine.vectors import compose_employee_vectors

        rows = np.asarray([st.people.index[i] for i in ids])
        composed = compose_employee_vectors(st.people, rows, st.role_vecs, st.skill_vecs, st.interest_vecs)
        t_comp = time.perf_counter() - t0
        cos = (direct * composed).sum(1)
        R = st.role_vecs
        top_d = np.argsort(-(direct @ R.T), axis=1)[:, :10]
        top_c = np.argsort(-(composed @ R.T), axis=1)[:, :10]
        overlap = np.mean([len(set(a) & set(b)) / 10 for a, b in zip(top_d, top_c, strict=True)])
        own = st.people.role_idx[rows]

        def first_move(top: np.ndarray) -> np.ndarray:
            return np.asarray([next(j for j in t if j != o) for t, o in zip(top, own, strict=True)])

        agree = float(np.mean(first_move(top_d) == first_move(top_c)))
        print(f"employees={len(ids)} mean_cos={cos.mean():.3f} top10_role_overlap={overlap:.3f} "
              f"first_move_agreement={agree:.3f} encode_s={t_direct:.2f} compose_s={t_comp:.3f} "
              f"speedup={t_direct / max(t_comp, 1e-9):.0f}x")


if __name__ == "__main__":
    main()
