"""Seeded generator for the demo organisation's people and their career history.

Everything is drawn from ``random.Random`` instances seeded from ``seed``, and the
"current date" is the fixed :data:`REFERENCE_DATE`, so one seed always yields the
same employees and transitions. Protected attributes come from their own RNG
stream, so they are statistically independent of role, skills and tenure.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from engine.models import (
    Employee,
    EmployeeSkill,
    MobilityPreferences,
    ProtectedAttributes,
    Role,
    Skill,
    Transition,
)

__all__ = ["REFERENCE_DATE", "generate_people", "make_demo_employee"]

# "Today" for the demo: fixed so output never drifts with the wall clock.
REFERENCE_DATE = date(2025, 6, 30)
HISTORY_MONTHS = 60  # transitions cover roughly the last five years

# Relative headcount by seniority: many people in entry roles, few executives.
_LEVEL_WEIGHT = {0: 10.0, 1: 10.0, 2: 6.0, 3: 4.0, 4: 2.5, 5: 1.2, 6: 0.5, 7: 0.25}
# Frontline-heavy families employ more people.
_FAMILY_WEIGHT = {"retail": 1.8, "supply-chain": 1.3, "nursing": 1.4, "customer-support": 1.2}

# How far a holder's level sits from the role's need (mostly at or slightly below).
_DELTAS = (-2, -1, 0, 1, 2)
_DELTA_WEIGHTS = (5, 27, 45, 18, 5)

_SOURCES = ("self", "manager", "assessment", "certification", "inferred")
_SOURCE_WEIGHTS = (45, 25, 12, 8, 10)

# Skills nobody requires but people plausibly list, by family.
_FAMILY_EXTRAS: dict[str, tuple[str, ...]] = {
    "software-engineering": (
        "java",
        "csharp",
        "go",
        "graphql",
        "nodejs",
        "typescript",
        "react",
        "gcp",
        "microservices",
        "accessibility",
        "azure",
        "aws",
    ),
    "technology": ("azure", "aws", "python", "docker"),
    "data-analytics": ("r-language", "pandas", "gcp", "power-bi", "tableau", "nlp"),
    "nursing": (
        "pediatric-nursing",
        "pain-management",
        "behavioral-health",
        "geriatric-care",
        "telemetry",
        "triage",
        "discharge-planning",
        "care-coordination",
        "acls",
        "pals",
    ),
    "retail": ("visual-merchandising", "loss-prevention", "sales-techniques", "adaptability"),
    "customer-support": ("crm", "knowledge-base", "adaptability"),
    "supply-chain": ("forklift-operation", "import-export", "process-improvement"),
    "finance": ("power-bi", "sql", "erp-systems"),
    "people": ("people-analytics", "dei", "facilitation"),
    "marketing": ("graphic-design", "seo", "market-research"),
}
_ANY_FAMILY_EXTRAS = ("bilingual-spanish", "adaptability", "problem-solving", "teamwork", "cultural-competence")

_FIRST_NAMES = (
    "Aaliyah",
    "Aaron",
    "Adriana",
    "Ahmed",
    "Aisha",
    "Alejandro",
    "Alice",
    "Amir",
    "Ana",
    "Andre",
    "Angela",
    "Anil",
    "Beatriz",
    "Ben",
    "Bianca",
    "Brandon",
    "Carmen",
    "Carlos",
    "Chen",
    "Chloe",
    "Connor",
    "Daniel",
    "Deja",
    "Diego",
    "Dmitri",
    "Elena",
    "Emeka",
    "Emily",
    "Fatima",
    "Felipe",
    "Grace",
    "Hana",
    "Hector",
    "Ibrahim",
    "Imani",
    "Isabel",
    "Jamal",
    "James",
    "Jasmine",
    "Javier",
    "Jin",
    "Jordan",
    "Jose",
    "Kai",
    "Keisha",
    "Kenji",
    "Laura",
    "Leila",
    "Lucas",
    "Luis",
    "Maya",
    "Mei",
    "Michael",
    "Miguel",
    "Mohammed",
    "Nadia",
    "Naomi",
    "Nathan",
    "Nia",
    "Noah",
    "Olivia",
    "Omar",
    "Priya",
    "Rafael",
    "Rahul",
    "Rosa",
    "Ryan",
    "Samira",
    "Sarah",
    "Sean",
    "Sofia",
    "Tariq",
    "Thomas",
    "Tomas",
    "Valeria",
    "Victor",
    "Wei",
    "Yara",
    "Yusuf",
    "Zoe",
)
_LAST_NAMES = (
    "Adams",
    "Ahmed",
    "Alvarez",
    "Anderson",
    "Bailey",
    "Bennett",
    "Brooks",
    "Campbell",
    "Castillo",
    "Chen",
    "Clark",
    "Cohen",
    "Cruz",
    "Das",
    "Diaz",
    "Edwards",
    "Evans",
    "Fischer",
    "Flores",
    "Garcia",
    "Gomez",
    "Gupta",
    "Hall",
    "Harris",
    "Hernandez",
    "Hughes",
    "Ibrahim",
    "Jackson",
    "Jensen",
    "Johnson",
    "Kapoor",
    "Kim",
    "Kowalski",
    "Lee",
    "Lewis",
    "Lopez",
    "Martin",
    "Martinez",
    "Mendoza",
    "Miller",
    "Mitchell",
    "Moore",
    "Morales",
    "Murphy",
    "Nakamura",
    "Nguyen",
    "Novak",
    "O'Brien",
    "Okafor",
    "Ortiz",
    "Park",
    "Patel",
    "Perez",
    "Phillips",
    "Price",
    "Ramirez",
    "Reed",
    "Reyes",
    "Rivera",
    "Robinson",
    "Rodriguez",
    "Rossi",
    "Sanchez",
    "Santos",
    "Shah",
    "Silva",
    "Singh",
    "Smith",
    "Sullivan",
    "Tanaka",
    "Taylor",
    "Thomas",
    "Torres",
    "Tran",
    "Turner",
    "Walker",
    "Washington",
    "Williams",
    "Wilson",
    "Wong",
    "Young",
)

_SEX = (("female", 49), ("male", 49), ("nonbinary", 2))
_RACE_ETHNICITY = (
    ("White", 52),
    ("Hispanic or Latino", 19),
    ("Black or African American", 13),
    ("Asian", 7),
    ("Two or more races", 6),
    ("American Indian or Alaska Native", 2),
    ("Native Hawaiian or Other Pacific Islander", 1),
)
_AGE_BAND = (("18-24", 12), ("25-34", 27), ("35-44", 25), ("45-54", 20), ("55-64", 13), ("65+", 3))

DEMO_EMPLOYEE_ID = "E0001"


@dataclass(frozen=True)
class _Move:
    from_role: str
    to_role: str
    months_ago: int


def _pick(rng: random.Random, pairs: Sequence[tuple[str, int]]) -> str:
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


def _days_ago(months: int, rng: random.Random) -> date:
    return REFERENCE_DATE - timedelta(days=int(months * 30.44) + rng.randint(0, 14))


def _title(role: Role) -> str:
    """Title for running text: "a registered nurse", "an HR business partner"."""
    words = " ".join(w if w.isupper() or "&" in w else w.lower() for w in role.title.split())
    article = "an" if words[0].lower() in "aeiou" or words.split()[0] in {"HR", "FP&A"} else "a"
    return f"{article} {words}"


def _skill_name(skill: Skill) -> str:
    # Tools and technologies keep their proper names ("Python", "Epic"); others read as prose.
    if skill.category in ("tools", "technical"):
        return skill.name
    return " ".join(w if w.isupper() or "/" in w else w.lower() for w in skill.name.split())


class _Org:
    """Index over roles and skills the generator draws from."""

    def __init__(self, roles: Sequence[Role], skills: Sequence[Skill]) -> None:
        self.roles = {r.id: r for r in roles}
        self.skills = {s.id: s for s in skills}
        self.role_ids = [r.id for r in roles]
        self.predecessors: dict[str, list[str]] = {r.id: [] for r in roles}
        for r in roles:
            for nxt in r.next_role_ids:
                self.predecessors[nxt].append(r.id)
        self.family_skills: dict[str, list[str]] = {}
        for r in roles:
            pool = self.family_skills.setdefault(r.family, [])
            pool.extend(q.skill_id for q in r.requirements if q.skill_id not in pool)
        self.families_with_management = sorted({r.family for r in roles if r.track == "management"})
        self.headcount_weights = [_LEVEL_WEIGHT.get(r.level, 0.2) * _FAMILY_WEIGHT.get(r.family, 1.0) for r in roles]

    def peers(self, role: Role) -> list[str]:
        """Same-family roles at the same or the level below: plausible unlisted lateral moves."""
        return [
            r.id
            for r in self.roles.values()
            if r.family == role.family and r.id != role.id and role.level - 1 <= r.level <= role.level
        ]


def _history(org: _Org, role_id: str, months_in_role: int, rng: random.Random) -> list[_Move]:
    """Earlier moves into the current role (newest first), within the history window."""
    moves: list[_Move] = []
    current, months_ago = role_id, months_in_role
    for step in range(2):
        if months_ago > HISTORY_MONTHS or rng.random() > (0.6 if step == 0 else 0.35):
            break
        role = org.roles[current]
        preds = org.predecessors[current]
        lateral = [p for p in org.peers(role) if p not in preds]
        if preds and (rng.random() < 0.85 or not lateral):
            # Prefer in-family ladder moves; cross-family bridges happen but less often.
            weights = [3.0 if org.roles[p].family == role.family else 1.0 for p in preds]
            prev = rng.choices(preds, weights=weights)[0]
        elif lateral and rng.random() < 0.3:
            prev = rng.choice(lateral)
        else:
            break
        moves.append(_Move(prev, current, months_ago))
        current, months_ago = prev, months_ago + rng.randint(12, 48)
    return moves


def _skill(skill_id: str, level: int, rng: random.Random) -> EmployeeSkill:
    updated = REFERENCE_DATE - timedelta(days=rng.randint(0, 720))
    return EmployeeSkill(
        skill_id=skill_id,
        level=level,
        source=rng.choices(_SOURCES, weights=_SOURCE_WEIGHTS)[0],
        updated_at=datetime.combine(updated, time(9, 0), tzinfo=UTC),
    )


def _skills(org: _Org, role: Role, months: int, moves: list[_Move], rng: random.Random) -> list[EmployeeSkill]:
    levels: dict[str, int] = {}
    for q in role.requirements:
        delta = rng.choices(_DELTAS, weights=_DELTA_WEIGHTS)[0]
        if months >= 36 and delta < 0 and rng.random() < 0.5:
            delta += 1  # long tenure closes some gaps
        levels[q.skill_id] = max(0, min(5, q.level + delta))
    # Skills carried over from earlier roles, a little rusty sometimes.
    for mv in moves:
        for q in org.roles[mv.from_role].requirements:
            if q.skill_id not in levels and rng.random() < 0.7:
                levels[q.skill_id] = max(1, q.level - rng.choice((0, 0, 1)))
    # Partial progress toward next roles.
    for nxt in role.next_role_ids:
        for q in org.roles[nxt].requirements:
            if q.skill_id not in levels and rng.random() < 0.3:
                levels[q.skill_id] = max(1, q.level - rng.choice((1, 1, 2)))
    # A couple of extra skills from the family or anywhere.
    extras = list(_FAMILY_EXTRAS.get(role.family, ())) + org.family_skills[role.family]
    for _ in range(rng.choice((0, 1, 1, 2, 3))):
        sid = rng.choice(extras)
        if sid in org.skills and sid not in levels:
            levels[sid] = rng.randint(1, 3)
    if rng.random() < 0.12:
        sid = rng.choice(_ANY_FAMILY_EXTRAS)
        levels.setdefault(sid, rng.randint(2, 4))
    return [_skill(sid, lvl, rng) for sid, lvl in levels.items() if lvl > 0]


def _aspiration(org: _Org, role: Role, rng: random.Random) -> tuple[str, MobilityPreferences]:
    """Free-text interests and mobility preferences that tell the same story."""
    has_mgmt = role.family in org.families_with_management and role.level >= 3
    kind = rng.choices(
        ("next", "management", "expert", "lateral", "stay", "none"),
        weights=(35, 18 if has_mgmt or role.level >= 2 else 4, 12 if role.track else 4, 15, 8, 12),
    )[0]
    nxt = [org.roles[n] for n in role.next_role_ids]
    cross = [n for n in nxt if n.family != role.family]
    same = [n for n in nxt if n.family == role.family]
    families: list[str] = []
    management: bool | None = None
    open_to_move = rng.random() < {"stay": 0.2, "none": 0.6, "expert": 0.7}.get(kind, 0.95)
    phrases: list[str] = []
    target: Role | None = None
    if kind == "next" and same:
        target = rng.choice(same)
        phrases.append(
            rng.choice(
                (
                    f"wants to become {_title(target)}",
                    f"aiming for {_title(target)} role in the next two years",
                    f"working toward {_title(target).split(' ', 1)[1]}",
                )
            )
        )
        families = [role.family] if rng.random() < 0.5 else []
        management = True if target.track == "management" else None
    elif kind == "management":
        phrases.append(
            rng.choice(
                (
                    "interested in people leadership and coaching",
                    "would like to lead a team",
                    "keen to move into management and develop others",
                )
            )
        )
        management = True
    elif kind == "expert":
        phrases.append(
            rng.choice(
                (
                    "wants to stay hands-on and build deep expertise",
                    "prefers the expert track over managing people",
                    "interested in becoming the go-to specialist on the team",
                )
            )
        )
        management = False
    elif kind in ("lateral", "next") and (cross or kind == "lateral"):
        if cross:
            target = rng.choice(cross)
            phrases.append(f"wants to move into {target.family.replace('-', ' ')} as {_title(target)}")
            families = [target.family]
        else:
            other = rng.choice(sorted(org.family_skills))
            phrases.append(f"curious about {other.replace('-', ' ')} work")
            families = [other] if other != role.family else []
    elif kind == "stay":
        phrases.append(rng.choice(("happy in current role for now", "not looking to move this year")))
    # Often add a concrete skill the person wants to learn for where they are heading.
    toward = [target] if target else nxt if kind in ("management", "expert") else []
    if toward and rng.random() < 0.5:
        have = {q.skill_id for q in role.requirements}
        gaps = [q.skill_id for n in toward for q in n.requirements if q.skill_id not in have]
        if gaps:
            phrases.append(f"wants to learn {_skill_name(org.skills[rng.choice(gaps)])}")
    return "; ".join(phrases), MobilityPreferences(open_to_move=open_to_move, families=families, management=management)


def _protected(rng: random.Random) -> ProtectedAttributes:
    # About 3% decline to state each attribute.
    def draw(pairs: Sequence[tuple[str, int]]) -> str | None:
        return None if rng.random() < 0.03 else _pick(rng, pairs)

    return ProtectedAttributes(sex=draw(_SEX), race_ethnicity=draw(_RACE_ETHNICITY), age_band=draw(_AGE_BAND))


def make_demo_employee() -> Employee:
    """The hand-written employee the demo printout follows: an LPN heading for RN."""
    stamp = datetime(2025, 5, 12, 9, 0, tzinfo=UTC)
    levels = {
        "patient-care": 4,
        "medication-administration": 3,
        "vital-signs": 4,
        "wound-care": 3,
        "patient-assessment": 2,
        "infection-control": 3,
        "cpr": 3,
        "clinical-documentation": 3,
        "pharmacology": 2,
        "ehr": 3,
        "epic": 2,
        "communication": 3,
        "patient-education": 2,
        "care-planning": 1,
        "iv-therapy": 1,
        "adl-support": 4,
        "mobility-assistance": 3,
        "empathy": 4,
        "bilingual-spanish": 3,
        "geriatric-care": 3,
    }
    sources = {"cpr": "certification", "medication-administration": "manager", "wound-care": "assessment"}
    return Employee(
        id=DEMO_EMPLOYEE_ID,
        display_name="Amara Okafor",
        role_id="licensed-practical-nurse",
        skills=[
            EmployeeSkill(skill_id=s, level=lvl, source=sources.get(s, "self"), updated_at=stamp)
            for s, lvl in levels.items()
        ],
        months_in_role=38,
        interests="wants to become a registered nurse; interested in clinical informatics and EHR optimisation",
        mobility=MobilityPreferences(open_to_move=True, families=["nursing", "data-analytics"], management=None),
        protected=ProtectedAttributes(sex="female", race_ethnicity="Black or African American", age_band="35-44"),
    )


def generate_people(
    roles: Sequence[Role], skills: Sequence[Skill], *, seed: int, n_employees: int
) -> tuple[list[Employee], list[Transition]]:
    """Employees ``E0001..`` and the transitions that brought them to their roles.

    ``E0001`` is the hand-written demo employee (see :func:`make_demo_employee`).
    """
    if n_employees < 1:
        raise ValueError("n_employees must be at least 1")
    org = _Org(roles, skills)
    rng = random.Random(seed)
    protected_rng = random.Random(f"protected:{seed}")  # independent stream
    width = max(4, len(str(n_employees)))

    # Every role gets at least one holder (when there are enough people), the rest by weight.
    assigned = list(org.role_ids) if n_employees >= len(org.role_ids) + 1 else []
    assigned += rng.choices(org.role_ids, weights=org.headcount_weights, k=n_employees - 1 - len(assigned))
    rng.shuffle(assigned)

    _protected(protected_rng)  # keep the stream aligned: E0001 is hand-written
    demo = make_demo_employee()
    employees = [demo]
    transitions = [
        Transition(
            from_role_id="certified-nursing-assistant",
            to_role_id="licensed-practical-nurse",
            date=_days_ago(demo.months_in_role, rng),
            employee_id=demo.id,
        )
    ]
    for i, role_id in enumerate(assigned, start=2):
        role = org.roles[role_id]
        months = min(240, 1 + int(rng.expovariate(1.0 / (14 + 6 * role.level))))
        moves = _history(org, role_id, months, rng)
        interests, mobility = _aspiration(org, role, rng)
        emp = Employee(
            id=f"E{i:0{width}d}",
            display_name=f"{rng.choice(_FIRST_NAMES)} {rng.choice(_LAST_NAMES)}",
            role_id=role_id,
            skills=_skills(org, role, months, moves, rng),
            months_in_role=months,
            interests=interests,
            mobility=mobility,
            protected=_protected(protected_rng),
        )
        employees.append(emp)
        transitions.extend(
            Transition(
                from_role_id=m.from_role, to_role_id=m.to_role, date=_days_ago(m.months_ago, rng), employee_id=emp.id
            )
            for m in moves
        )
    transitions.sort(key=lambda t: (t.date or REFERENCE_DATE, t.employee_id or ""))
    return employees, transitions
