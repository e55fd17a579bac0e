"""Career-sense properties: what a career coach or recruiter checks at a glance, as figures.

Each property is measured over an org through the public engine API and returned as
(passed, checked); the tests assert floors, the note quotes the figures before and after. Facts
are read from the records (levels, families, ladders, observed moves), never from the labels the
engine attaches, so an engine that mislabels a move still fails.

Run it on any checkout to print the figures:  PYTHONPATH=. python tests/engine/career_sense.py
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

__all__ = ["DOMAIN_WORDS", "Figures", "measure"]

# Words that make a learning item specific to one family (a test-side judgement, by reading the
# catalogs' titles): an item that names another family's work is off-domain for a target role.
DOMAIN_WORDS: dict[str, tuple[str, ...]] = {
    "nursing": ("nurs", "patient", "clinical", "bedside", "charge nurse"),
    "supply-chain": ("forklift", "warehouse", "pallet"),
    "hospitality": ("kitchen", "chef", "food", "hotel", "guest"),
    "manufacturing": ("plant", "factory", "machine", "osha", "shop floor", "lean"),
    "banking": ("bank", "branch", "teller", "credit", "aml"),
}


@dataclass
class Figures:
    counts: dict[str, tuple[int, int]]

    def share(self, name: str) -> float:
        ok, n = self.counts[name]
        return ok / n if n else 1.0

    def lines(self) -> list[str]:
        return [f"{k:<28} {ok:>5}/{n:<5} {self.share(k):6.1%}" for k, (ok, n) in self.counts.items()]


def _domain(text: str, families: set[str] | None = None) -> str | None:
    """The family whose words ``text`` uses (only families the org has: OSHA is generic where
    nobody runs a plant)."""
    t = text.lower()
    for family, words in DOMAIN_WORDS.items():
        if families is not None and family not in families:
            continue
        if any(re.search(rf"\b{re.escape(w)}", t) for w in words):
            return family
    return None


def _ladder_chain(roles: dict[str, Any], start: str, n: int) -> list[str]:
    """The next ``n`` rungs above ``start`` on its ladder (first listed next role, same family)."""
    out, cur = [], start
    for _ in range(n):
        nxt = [x for x in roles[cur].next_role_ids if x in roles and roles[x].family == roles[cur].family]
        if not nxt:
            break
        cur = nxt[0]
        out.append(cur)
    return out


def measure(sg: Any, *, sample: int = 150, roles_sample: int = 40) -> Figures:
    """The properties over ``sg``'s org (every k-th employee, every k-th role with a ladder)."""
    roles = {r.id: r for r in sg.store.all("role")}
    families = {r.family for r in roles.values()}
    items = {i.id: i for i in sg.store.all("learning_item")}
    people = sorted((e for e in sg.store.all("employee") if e.role_id in roles), key=lambda e: e.id)
    step = max(1, len(people) // sample)
    chosen = people[::step][:sample]
    feeders: dict[str, set[str]] = {r: set() for r in roles}
    for r in roles.values():
        for n in r.next_role_ids:
            if n in feeders:
                feeders[n].add(r.id)
    for t in sg.store.all("transition"):
        if t.to_role_id in feeders:
            feeders[t.to_role_id].add(t.from_role_id)
    holders: dict[str, set[str]] = {}
    for e in people:
        holders.setdefault(e.role_id, set()).add(e.id)
    where = {e.id: e.role_id for e in people}

    c: dict[str, list[int]] = {k: [0, 0] for k in (
        "next_rung_tops_up", "no_step_down_in_top3_any", "readiness_agrees_coverage", "promotions_typed",
        "cross_family_0pct_not_top3", "learning_in_domain", "routes_follow_ladder", "routes_grow_with_rungs",
        "shortlist_natural_first", "shortlist_no_step_down_top5", "shortlist_stable_under_limit")}

    def tick(name: str, ok: bool) -> None:
        c[name][0] += int(ok)
        c[name][1] += 1

    def readiness_ok(items_: Iterable[Any]) -> None:
        for it in items_:
            bad = (it.readiness == "ready_now" and it.coverage < 0.5) or (
                it.readiness == "ready_soon" and it.coverage < 0.3)
            tick("readiness_agrees_coverage", not bad)

    for e in chosen:
        cur = roles[e.role_id]
        up = sg.recommend(e.id, limit=5, direction="up").items
        nxt = [x for x in cur.next_role_ids if x in roles and roles[x].level > cur.level]  # rungs up
        if nxt and up:
            tick("next_rung_tops_up", up[0].role_id in nxt)
        for it in up[:3]:
            if roles[it.role_id].family != cur.family:
                tick("cross_family_0pct_not_top3", it.coverage > 0.0)
        anyd = sg.recommend(e.id, limit=5, direction="any").items
        tick("no_step_down_in_top3_any", all(roles[it.role_id].level >= cur.level for it in anyd[:3]))
        for it in [*up, *anyd]:
            if roles[it.role_id].level > cur.level:
                tick("promotions_typed", it.move == "promotion")
        readiness_ok([*up, *anyd])
        for it in anyd[:3]:
            fam = roles[it.role_id].family
            picked = {x.id for g in it.gaps for x in g.learning}
            off = [x for x in picked if x in items and _domain(f"{items[x].title} {items[x].description}",
                                                               families) not in (None, fam)]
            tick("learning_in_domain", not off)
        chain = _ladder_chain(roles, cur.id, 2)
        if len(chain) == 2:
            r1, r2 = sg.routes(e.id, chain[0], alternatives=0).best, sg.routes(e.id, chain[1], alternatives=0).best
            tick("routes_follow_ladder", r2.role_ids == [cur.id, *chain])
            tick("routes_grow_with_rungs", r2.total_hours > r1.total_hours and r2.est_months > r1.est_months)

    with_feeders = sorted(r for r in roles if feeders[r] and any(holders.get(f) for f in feeders[r]))
    rstep = max(1, len(with_feeders) // roles_sample)
    for rid in with_feeders[::rstep][:roles_sample]:
        role = roles[rid]
        ten = sg.candidates(rid, limit=10).items
        fifty = sg.candidates(rid, limit=50).items
        readiness_ok(ten)
        if ten:
            first = roles.get(where.get(ten[0].employee_id, ""))
            natural = first is not None and (first.id in feeders[rid] or (
                first.family == role.family and first.level == role.level))
            tick("shortlist_natural_first", natural)
            tick("shortlist_no_step_down_top5", all(
                roles[where[x.employee_id]].level <= role.level for x in ten[:5] if where.get(x.employee_id)))
        tick("shortlist_stable_under_limit",
             [x.employee_id for x in fifty[:10]] == [x.employee_id for x in ten])
    return Figures({k: (v[0], v[1]) for k, v in c.items()})


def _main() -> None:  # pragma: no cover - a report for the issue note
    import os
    import sys
    import tempfile
    import time
    from pathlib import Path

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    sys.path.insert(0, str(Path(__file__).parent))
    from career_org import career_org

    from engine.api import Skillgraph
    from engine.config import Config
    from engine.demo import load_demo

    for name, records in (("demo", load_demo().records()), ("works (career_org)", career_org())):
        with tempfile.TemporaryDirectory() as d:
            sg = Skillgraph(Config(db_url=f"sqlite:///{d}/o.db", home=Path(d) / "home"))
            sg.init()
            sg.store.upsert(records)
            sg.build_index()
            t = time.perf_counter()
            figs = measure(sg)
            print(f"== {name} ({time.perf_counter() - t:.0f} s)")
            print("\n".join(figs.lines()))


if __name__ == "__main__":
    _main()
