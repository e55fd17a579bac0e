"""Seeded synthetic organisation over the real O*NET catalog, for benchmarks.

    python -m bench.scale_data --n 10000 --db sqlite:////tmp/x.db [--seed 7]

What it writes (straight through ``Store.upsert``, one transaction per chunk of records):

- the O*NET catalog (1,016 occupations as roles, ~238 skills) via ``import_onet``;
- ~5,000 learning items, each teaching 1-3 O*NET skills (picked in proportion to how often roles
  require them) to levels 2-5, 4-120 hours (longer for higher levels and more skills);
- N employees: a role drawn with a Zipf-like skew over the roles that have requirements; skills
  = the role's requirements (low-importance ones sometimes left out) with levels jittered around
  the need, plus 2-6 extra skills from a related role (same SOC major group, nearby job zone);
  interests = 0-2 phrases from a small vocabulary; months in role ~ lognormal;
- ~N/10 historical transitions, mostly from a role one job zone below in the same SOC major group
  into the employee's current role (the rest lateral or cross-group).

Everything is a pure function of (seed, N, the O*NET files): re-running gives identical records.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from engine.importers.onet import OnetCatalog, import_onet
from engine.models import (
    Employee,
    EmployeeSkill,
    LearningItem,
    MobilityPreferences,
    Role,
    SkillTaught,
    Transition,
)
from engine.store import Store

__all__ = [
    "INTEREST_PHRASES",
    "LEARNING_ITEMS",
    "ScaleInfo",
    "default_onet_dir",
    "generate",
    "make_employee",
]

REPO_ROOT = Path(__file__).resolve().parent.parent
LEARNING_ITEMS = 5_000
CHUNK = 5_000  # records per Store.upsert call (one transaction each)

INTEREST_PHRASES = (
    "data analysis", "people leadership", "mentoring junior staff", "customer experience",
    "process improvement", "automation", "machine learning", "public speaking", "project management",
    "product strategy", "sustainability", "patient care", "teaching and training", "research",
    "design thinking", "writing and editing", "negotiation", "financial planning", "quality assurance",
    "safety and compliance", "cloud infrastructure", "cybersecurity", "sales growth", "operations",
    "supply chain", "community outreach", "working outdoors", "hands-on repair work", "creative media",
    "law and policy", "healthcare technology", "software development", "statistics", "logistics",
    "building things", "team coordination", "international work", "marketing", "budgeting", "innovation",
)
FIRST = (
    "Ada", "Ben", "Chloe", "Dev", "Elena", "Farid", "Grace", "Hiro", "Ines", "Jonas", "Kemi", "Liam", "Maya",
    "Noah", "Olga", "Priya", "Quinn", "Rosa", "Sami", "Tara", "Umar", "Vera", "Wei", "Xena", "Yusuf", "Zoe",
)
LAST = (
    "Adams", "Baker", "Chen", "Diaz", "Evans", "Fischer", "Garcia", "Haddad", "Ito", "Jensen", "Kowalski",
    "Lopez", "Mensah", "Nakamura", "Okafor", "Patel", "Rossi", "Silva", "Tanaka", "Umarov", "Varga", "Weber",
    "Xu", "Yilmaz", "Zhang",
)
ITEM_TEMPLATES = (
    ("course", "Introduction to {s}"),
    ("course", "{s} fundamentals"),
    ("course", "{s} in practice"),
    ("course", "Advanced {s}"),
    ("certification", "{s} certification"),
    ("certification", "Professional certificate in {s}"),
    ("mentoring", "{s} mentoring circle"),
    ("stretch_project", "Stretch project: apply {s}"),
    ("gig", "Internal gig: {s}"),
)
PROVIDERS = ("internal academy", "Coursera", "LinkedIn Learning", "Udemy Business", "university partner", "vendor")


@dataclass
class ScaleInfo:
    n_employees: int
    n_roles: int
    n_skills: int
    n_learning_items: int
    n_transitions: int
    n_employee_skills: int
    seconds: float
    onet_dir: str
    seed: int
    employee_ids: list[str] = field(default_factory=list, repr=False)

    def as_dict(self) -> dict[str, Any]:
        d = dict(self.__dict__)
        d.pop("employee_ids")
        return d


def default_onet_dir() -> Path:
    """``../shared/datasets/onet`` relative to the repository root."""
    return (REPO_ROOT.parent / "shared" / "datasets" / "onet").resolve()


def _chunks(seq: Sequence[Any], n: int) -> Iterator[Sequence[Any]]:
    for i in range(0, len(seq), n):
        yield seq[i : i + n]


class _Org:
    """Precomputed catalog views the generators draw from."""

    def __init__(self, catalog: OnetCatalog, rng: random.Random) -> None:
        self.catalog = catalog
        self.skill_names = {s.id: s.name for s in catalog.skills}
        self.roles = [r for r in catalog.roles if r.requirements]
        self.by_id: dict[str, Role] = {r.id: r for r in catalog.roles}
        # Zipf-like skew: a few roles are very common (clerks, nurses, developers), most are rare.
        order = list(range(len(self.roles)))
        rng.shuffle(order)
        self.role_weights = [0.0] * len(self.roles)
        for rank, i in enumerate(order):
            self.role_weights[i] = 1.0 / (rank + 8) ** 1.1
        self.cum = _cumulative(self.role_weights)
        self.group: dict[str, list[Role]] = defaultdict(list)
        self.group_zone: dict[tuple[str, int], list[Role]] = defaultdict(list)
        for r in self.roles:
            self.group[r.id[:2]].append(r)
            self.group_zone[(r.id[:2], r.level)].append(r)
        # Skills in proportion to how many roles require them (what a learning catalog covers).
        freq: dict[str, int] = defaultdict(int)
        for r in self.roles:
            for q in r.requirements:
                freq[q.skill_id] += 1
        self.skill_pool = sorted(freq)
        self.skill_cum = _cumulative([freq[s] for s in self.skill_pool])

    def draw_role(self, rng: random.Random) -> Role:
        return self.roles[_pick(self.cum, rng)]

    def related(self, role: Role, rng: random.Random) -> Role:
        """A role of the same SOC major group at a nearby job zone (any role when the group is tiny)."""
        grp = role.id[:2]
        near = [r for z in (role.level - 1, role.level, role.level + 1) for r in self.group_zone.get((grp, z), [])]
        near = [r for r in near if r.id != role.id] or [r for r in self.group[grp] if r.id != role.id]
        return rng.choice(near) if near else rng.choice(self.roles)


def _cumulative(weights: Sequence[float]) -> list[float]:
    out, acc = [], 0.0
    for w in weights:
        acc += w
        out.append(acc)
    return out


def _pick(cum: list[float], rng: random.Random) -> int:
    import bisect

    return min(bisect.bisect_left(cum, rng.random() * cum[-1]), len(cum) - 1)


def learning_items(org: _Org, rng: random.Random, n: int = LEARNING_ITEMS) -> list[LearningItem]:
    items = []
    for k in range(n):
        nsk = rng.choices((1, 2, 3), weights=(0.55, 0.3, 0.15))[0]
        skills: list[str] = []
        while len(skills) < nsk:
            s = org.skill_pool[_pick(org.skill_cum, rng)]
            if s not in skills:
                skills.append(s)
        levels = [rng.choices((2, 3, 4, 5), weights=(0.35, 0.35, 0.2, 0.1))[0] for _ in skills]
        fmt, template = rng.choice(ITEM_TEMPLATES)
        head = org.skill_names[skills[0]]
        title = template.format(s=head)
        if len(skills) > 1:
            title += " and " + ", ".join(org.skill_names[s] for s in skills[1:])
        hours = 4 + (max(levels) - 2) * 18 + (len(skills) - 1) * 12 + rng.random() * 30
        hours = float(round(min(120.0, max(4.0, hours)), 1))
        provider = rng.choice(PROVIDERS)
        items.append(
            LearningItem.model_construct(
                id=f"L{k:05d}",
                title=f"{title} ({provider}, level {max(levels)})",
                description=f"A {hours:g}-hour {fmt.replace('_', ' ')} by {provider}.",
                provider=provider,
                format=fmt,
                hours=hours,
                skills=[
                    SkillTaught.model_construct(skill_id=s, to_level=lv)
                    for s, lv in sorted(zip(skills, levels, strict=True))
                ],
            )
        )
    return items


def _jitter(need: int, rng: random.Random) -> int:
    return max(1, min(5, need + rng.choices((-2, -1, 0, 1), weights=(0.1, 0.3, 0.45, 0.15))[0]))


def make_employee(org: _Org, k: int, rng: random.Random, *, role: Role | None = None) -> Employee:
    role = role or org.draw_role(rng)
    levels: dict[str, int] = {}
    for q in role.requirements:
        # Low-importance requirements are often missing from a real profile.
        if rng.random() < 0.55 + 0.45 * q.weight:
            levels[q.skill_id] = _jitter(q.level, rng)
    other = org.related(role, rng)
    extra = [q for q in other.requirements if q.skill_id not in levels]
    for q in rng.sample(extra, min(len(extra), rng.randint(2, 6))):
        levels[q.skill_id] = max(1, min(5, q.level - rng.choice((0, 1, 1, 2))))
    n_int = rng.choices((0, 1, 2), weights=(0.2, 0.5, 0.3))[0]
    interests = " and ".join(sorted(rng.sample(INTEREST_PHRASES, n_int)))
    families: list[str] = []
    if rng.random() < 0.1:
        families = [other.family]
    return Employee.model_construct(
        id=f"E{k:06d}",
        display_name=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
        role_id=role.id,
        skills=[
            EmployeeSkill.model_construct(skill_id=s, level=lv, source="self", updated_at=None)
            for s, lv in sorted(levels.items())
        ],
        months_in_role=max(1, min(600, int(rng.lognormvariate(3.0, 0.8)))),
        interests=interests,
        mobility=MobilityPreferences.model_construct(
            open_to_move=rng.random() < 0.8, families=families, management=None
        ),
        protected=None,
    )


def transitions(org: _Org, employees: Sequence[tuple[str, str]], rng: random.Random, n: int) -> list[Transition]:
    """``employees``: (employee id, current role id)."""
    out: list[Transition] = []
    seen: set[str] = set()
    today = dt.date(2025, 1, 1)
    for emp_id, role_id in rng.sample(list(employees), min(n, len(employees))):
        role = org.by_id[role_id]
        grp = role.id[:2]
        u = rng.random()
        pool: list[Role] = []
        if u < 0.75:
            pool = org.group_zone.get((grp, role.level - 1), [])  # promotion into the current role
        if not pool and u < 0.92:
            pool = [r for r in org.group_zone.get((grp, role.level), []) if r.id != role.id]  # lateral
        if not pool:
            pool = [r for r in org.roles if r.id != role.id and abs(r.level - role.level) <= 1]  # cross-group
        src = rng.choice(pool)
        date = today - dt.timedelta(days=rng.randint(30, 5 * 365))
        t = Transition(from_role_id=src.id, to_role_id=role.id, date=date, employee_id=emp_id)
        if t.id not in seen:
            seen.add(t.id)
            out.append(t)
    return out


def generate(
    store: Store,
    n: int,
    *,
    seed: int = 7,
    onet_dir: Path | None = None,
    chunk: int = CHUNK,
    n_items: int = LEARNING_ITEMS,
    onet_tasks: int | None = None,
    log: Callable[[str], None] | None = None,
) -> ScaleInfo:
    """Write the O*NET catalog and a synthetic organisation of ``n`` employees into ``store``."""
    t0 = time.perf_counter()
    say = log or (lambda _m: None)
    onet_dir = Path(onet_dir or default_onet_dir())
    store.init()
    options = {} if onet_tasks is None else {"tasks_in_description": onet_tasks}
    catalog, _ = import_onet(store, onet_dir, **options)
    rng = random.Random(seed)
    org = _Org(catalog, rng)
    items = learning_items(org, random.Random(seed + 1), n_items)
    for part in _chunks(items, chunk):
        store.upsert(part)
    say(f"catalog: {len(catalog.roles)} roles, {len(catalog.skills)} skills, {len(items)} learning items")

    erng = random.Random(seed + 2)
    employees: list[tuple[str, str]] = []  # (id, role id): full records are not kept in memory
    n_skills = 0
    for start in range(0, n, chunk):
        part = [make_employee(org, k, erng) for k in range(start, min(n, start + chunk))]
        store.upsert(part)
        n_skills += sum(len(e.skills) for e in part)
        employees.extend((e.id, e.role_id) for e in part)  # type: ignore[misc]
        say(f"employees: {min(n, start + chunk)}/{n}")
    moves = transitions(org, employees, random.Random(seed + 3), max(1, n // 10))
    for part in _chunks(moves, chunk):
        store.upsert(part)
    say(f"transitions: {len(moves)}")
    return ScaleInfo(
        n_employees=n,
        n_roles=len(catalog.roles),
        n_skills=len(catalog.skills),
        n_learning_items=len(items),
        n_transitions=len(moves),
        n_employee_skills=n_skills,
        seconds=round(time.perf_counter() - t0, 3),
        onet_dir=str(onet_dir),
        seed=seed,
        employee_ids=[e for e, _ in employees],
    )


def org_for(store_catalog: OnetCatalog, seed: int = 7) -> _Org:
    """The generator's catalog view (same seed as :func:`generate`), for making changed employees."""
    return _Org(store_catalog, random.Random(seed))


def main(argv: Sequence[str] | None = None) -> int:
    import json

    p = argparse.ArgumentParser(prog="python -m bench.scale_data", description=__doc__.splitlines()[0])
    p.add_argument("--n", type=int, required=True, help="number of employees")
    p.add_argument("--db", required=True, help="store URL, e.g. sqlite:////tmp/bench.db")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--items", type=int, default=LEARNING_ITEMS, help="learning items (default 5000)")
    p.add_argument("--tasks", type=int, default=None, help="O*NET task statements per role description")
    p.add_argument("--onet", type=Path, default=None, help="O*NET text directory (default ../shared/datasets/onet)")
    p.add_argument("--json", type=Path, default=None, help="write a summary JSON here")
    p.add_argument("--quiet", action="store_true")
    args = p.parse_args(argv)
    store = Store(args.db)
    info = generate(
        store, args.n, seed=args.seed, onet_dir=args.onet, n_items=args.items, onet_tasks=args.tasks,
        log=None if args.quiet else (lambda m: print(m, file=sys.stderr, flush=True)),
    )
    store.close()
    import resource

    out = info.as_dict() | {"peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}
    if args.json:
        args.json.write_text(json.dumps(out, indent=2))
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
