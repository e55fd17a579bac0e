"""The demo company's mobility programme: teams, managers, hire dates, mentors, openings, gigs.

Drawn from its own seeded stream (``random.Random(f"programme:{seed}")``) after the people exist,
so adding it changes none of the people, skills or protected attributes the generator made, and
protected attributes stay independent of everything here too.

- Teams: each family has a few named teams (wards, stores, distribution centres...); people are
  spread over their family's teams. The demo employee is on Ward 4 North.
- Managers: a team's most senior member heads it, its next most senior members (one per ~10
  people) are its managers, and everyone else reports to the least loaded manager more senior
  than them (else to the head); team heads report to the family's most senior person, who
  reports to no one. Every chain ends there: a tree, no cycles.
- Hire dates: the start of the current role for people without recorded moves, else some months
  before their first move.
- Moves record the team and manager the person left: mostly their own team, sometimes another team
  of the role's family.
- One planted case for the talent-hoarding signal: nobody on **DC East** (supply chain) changed
  role in the last year; the people who moved there came from other teams.
- Mentoring capacity for a share of experienced people; mentorships (running and ended) within it.
- Openings over the last two years: most internal moves filled one (source internal), most recent
  hires came through one (source external), and roles with open positions have open ones.
- Gigs, stretch projects and rotations from ``data/opportunities.json`` (owners: holders of the
  named role), a few seats already taken.
"""

from __future__ import annotations

import json
import random
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from importlib import resources

from engine.demo.generator import DEMO_EMPLOYEE_ID, REFERENCE_DATE
from engine.models import (
    Employee,
    EmployeeSkill,
    Mentorship,
    Opening,
    Opportunity,
    OpportunityAssignment,
    Role,
    Transition,
)

__all__ = ["HOARDING_TEAM", "ProgrammeData", "add_programme"]

TEAMS: dict[str, tuple[str, ...]] = {
    "nursing": ("Ward 4 North", "Ward 6 South", "Emergency Department", "ICU"),
    "software-engineering": ("Platform", "Patient Apps", "Store Systems"),
    "technology": ("IT Service Desk", "Infrastructure"),
    "retail": ("Store 12 Downtown", "Store 31 Riverside", "Store 47 Airport", "E-commerce Fulfilment"),
    "data-analytics": ("Analytics", "Data Platform"),
    "finance": ("Accounting", "FP&A"),
    "people": ("People Operations", "Talent"),
    "customer-support": ("Support Tier 1", "Support Tier 2"),
    "supply-chain": ("DC East", "DC West", "Logistics"),
    "marketing": ("Growth Marketing", "Brand"),
}
HOARDING_TEAM = "DC East"
DEMO_TEAM = "Ward 4 North"
DEMO_HIRED_AT = date(2019, 9, 2)
MONTH = 30.44
SPAN = 10  # people per manager in a team


@dataclass(frozen=True)
class ProgrammeData:
    employees: list[Employee]
    transitions: list[Transition]
    openings: list[Opening]
    opportunities: list[Opportunity]
    assignments: list[OpportunityAssignment]
    mentorships: list[Mentorship]


def _months_before(d: date, months: float) -> date:
    return d - timedelta(days=int(months * MONTH))


def _teams(
    roles: dict[str, Role], employees: Sequence[Employee], recent: set[str], rng: random.Random
) -> dict[str, str]:
    team: dict[str, str] = {}
    for e in employees:
        family = roles[e.role_id or ""].family
        options = TEAMS.get(family, (family.replace("-", " ").title(),))
        if e.id == DEMO_EMPLOYEE_ID:
            team[e.id] = DEMO_TEAM
            continue
        pick = rng.choice(options)
        if pick == HOARDING_TEAM and e.id in recent:  # the plant: recent movers sit elsewhere
            pick = rng.choice([t for t in options if t != HOARDING_TEAM])
        team[e.id] = pick
    return team


def _managers(roles: dict[str, Role], employees: Sequence[Employee], team: dict[str, str]) -> dict[str, str | None]:
    """Each team: its most senior member heads it, the next most senior (one per ~10 people) manage
    the rest, each person under a manager more senior than them with the fewest reports; team heads
    report to their family's most senior person, who reports to no one. A tree by construction."""
    level = {e.id: roles[e.role_id or ""].level for e in employees}
    rank = lambda i: (-level[i], i)  # noqa: E731
    by_team: dict[str, list[str]] = defaultdict(list)
    by_family: dict[str, list[str]] = defaultdict(list)
    for e in employees:
        by_team[team[e.id]].append(e.id)
        by_family[roles[e.role_id or ""].family].append(e.id)
    family_head = {f: min(ids, key=rank) for f, ids in by_family.items()}
    family_of = {e.id: roles[e.role_id or ""].family for e in employees}
    manager: dict[str, str | None] = {}
    for members in by_team.values():
        members = sorted(members, key=rank)
        head, leads = members[0], members[1 : max(1, -(-len(members) // SPAN))]
        top = family_head[family_of[head]]
        manager[head] = top if top != head else None
        reports: dict[str, int] = defaultdict(int)
        for m in leads:
            manager[m] = head
        for e in members[1 + len(leads) :]:
            above = [m for m in leads if level[m] > level[e]]
            boss = min(above, key=lambda m: (reports[m], m)) if above else head
            manager[e] = boss
            reports[boss] += 1
    return manager


def add_programme(
    roles_list: Sequence[Role], employees: Sequence[Employee], transitions: Sequence[Transition], *, seed: int
) -> ProgrammeData:
    rng = random.Random(f"programme:{seed}")
    roles = {r.id: r for r in roles_list}
    year_ago = REFERENCE_DATE - timedelta(days=365)
    recent = {t.employee_id for t in transitions if t.date and t.date > year_ago and t.employee_id}
    team = _teams(roles, employees, recent, rng)
    manager = _managers(roles, employees, team)
    first_move: dict[str, date] = {}
    for t in transitions:
        if t.employee_id and t.date and (t.employee_id not in first_move or t.date < first_move[t.employee_id]):
            first_move[t.employee_id] = t.date

    people: list[Employee] = []
    for e in employees:
        level = roles[e.role_id or ""].level
        if e.id == DEMO_EMPLOYEE_ID:
            hired, capacity = DEMO_HIRED_AT, 0
        else:
            hired = (
                _months_before(first_move[e.id], rng.randint(6, 48))
                if e.id in first_move
                else _months_before(REFERENCE_DATE, e.months_in_role)
            )
            capacity = rng.choice((1, 1, 2, 2, 3)) if (level >= 3 and rng.random() < 0.4) else 0
        people.append(
            e.model_copy(
                update={"team": team[e.id], "manager_id": manager[e.id], "hired_at": hired, "mentor_capacity": capacity}
            )
        )
    moves = _moves_with_history(roles, people, transitions, rng, year_ago)
    mentorships = _mentorships(roles, people, rng)
    openings = _openings(roles, people, moves, rng)
    opps, seats = _opportunities(roles, people, rng)
    return ProgrammeData(_completed(people, opps, seats), moves, openings, opps, seats, mentorships)


def _completed(
    people: list[Employee], opps: Sequence[Opportunity], seats: Sequence[OpportunityAssignment]
) -> list[Employee]:
    """People who completed an opportunity carry the levels it gave them (source ``opportunity``)."""
    from engine.programme.opportunities import raised_levels

    by_id = {o.id: o for o in opps}
    done: dict[str, list[Opportunity]] = defaultdict(list)
    for a in seats:
        if a.status == "completed":
            done[a.employee_id].append(by_id[a.opportunity_id])
    out = []
    for e in people:
        for o in done.get(e.id, ()):
            have = {sk.skill_id: sk.level for sk in e.skills}
            when = datetime.combine(o.ends_at or REFERENCE_DATE, time(12, 0), tzinfo=UTC)
            new = {sid: to for sid, _, to in raised_levels(o, have)}
            skills = [
                sk.model_copy(update={"level": new.pop(sk.skill_id), "source": "opportunity", "updated_at": when})
                if sk.skill_id in new
                else sk
                for sk in e.skills
            ]
            skills += [
                EmployeeSkill(skill_id=sid, level=lv, source="opportunity", updated_at=when) for sid, lv in new.items()
            ]
            e = e.model_copy(update={"skills": skills})
        out.append(e)
    return out


def _moves_with_history(
    roles: dict[str, Role],
    people: Sequence[Employee],
    transitions: Sequence[Transition],
    rng: random.Random,
    year_ago: date,
) -> list[Transition]:
    """Each move records the team and manager the person left."""
    by_id = {e.id: e for e in people}
    heads: dict[str, str] = {}  # team -> its most senior member
    for e in sorted(people, key=lambda e: (-roles[e.role_id or ""].level, e.id)):
        heads.setdefault(e.team or "", e.id)
    out = []
    for t in transitions:
        e = by_id.get(t.employee_id or "")
        if e is None:
            out.append(t)
            continue
        family = roles[t.from_role_id].family
        options = TEAMS.get(family, (family.replace("-", " ").title(),))
        own = e.team if e.team in options else None
        if own is not None and rng.random() < 0.75:
            left, boss = own, e.manager_id
        else:
            left = rng.choice(options)
            boss = heads.get(left)
        recent = t.date is not None and t.date > year_ago
        if recent and left == HOARDING_TEAM:  # the plant: nobody left DC East in the last year
            left = rng.choice([x for x in options if x != HOARDING_TEAM])
            boss = heads.get(left)
        if boss == e.id:
            boss = None
        out.append(t.model_copy(update={"from_team": left, "from_manager_id": boss}))
    return out


def _mentorships(roles: dict[str, Role], people: Sequence[Employee], rng: random.Random) -> list[Mentorship]:
    mentors = [e for e in people if e.mentor_capacity > 0]
    running: dict[str, int] = defaultdict(int)
    out: list[Mentorship] = []
    seen: set[tuple[str, str]] = set()
    mentees = [e for e in people if roles[e.role_id or ""].level <= 3 and e.id != DEMO_EMPLOYEE_ID]
    for mentee in rng.sample(mentees, min(70, len(mentees))):
        fam, lvl = roles[mentee.role_id or ""].family, roles[mentee.role_id or ""].level
        pool = [
            m
            for m in mentors
            if roles[m.role_id or ""].family == fam
            and roles[m.role_id or ""].level > lvl
            and m.id != mentee.manager_id
            and (m.id, mentee.id) not in seen
        ]
        if not pool:
            continue
        m = rng.choice(pool)
        started = _months_before(REFERENCE_DATE, rng.randint(1, 20))
        ongoing = rng.random() < 0.55 and running[m.id] < m.mentor_capacity
        ended = (
            None if ongoing else min(REFERENCE_DATE - timedelta(days=7), started + timedelta(days=rng.randint(90, 270)))
        )
        if ended is not None and ended <= started:
            continue
        if ongoing:
            running[m.id] += 1
        nxt = roles[mentee.role_id or ""].next_role_ids
        seen.add((m.id, mentee.id))
        out.append(
            Mentorship(
                mentor_id=m.id, mentee_id=mentee.id, started_at=started, ended_at=ended, role_id=nxt[0] if nxt else None
            )
        )
    return out


def _openings(
    roles: dict[str, Role], people: Sequence[Employee], moves: Sequence[Transition], rng: random.Random
) -> list[Opening]:
    two_years = REFERENCE_DATE - timedelta(days=730)
    by_id = {e.id: e for e in people}
    rows: list[tuple[date, str, dict]] = []
    for t in moves:
        if t.date and t.date > two_years and t.employee_id in by_id and rng.random() < 0.85:
            e = by_id[t.employee_id]
            rows.append(
                (
                    t.date,
                    t.to_role_id,
                    {
                        "closed_at": t.date,
                        "filled_by": e.id,
                        "source": "internal",
                        "team": e.team,
                        "hiring_manager_id": e.manager_id,
                    },
                )
            )
    moved = {t.employee_id for t in moves}
    for e in people:
        if e.hired_at and e.hired_at > two_years and e.id not in moved and rng.random() < 0.8:
            rows.append(
                (
                    e.hired_at,
                    e.role_id or "",
                    {
                        "closed_at": e.hired_at,
                        "filled_by": e.id,
                        "source": "external",
                        "team": e.team,
                        "hiring_manager_id": e.manager_id,
                    },
                )
            )
    seniors: dict[str, list[Employee]] = defaultdict(list)
    for e in people:
        seniors[roles[e.role_id or ""].family].append(e)
    for r in roles.values():
        for _ in range(min(r.open_positions, 3)):
            boss = max(seniors[r.family], key=lambda e: (roles[e.role_id or ""].level, e.id), default=None)
            opened = REFERENCE_DATE - timedelta(days=rng.randint(5, 80))
            rows.append(
                (
                    opened,
                    r.id,
                    {
                        "team": boss.team if boss else None,
                        "hiring_manager_id": boss.id if boss else None,
                        "opened_at": opened,
                    },
                )
            )
    rows.sort(key=lambda x: (x[0], x[1], x[2].get("filled_by") or ""))
    out = []
    for n, (when, role_id, extra) in enumerate(rows, 1):
        opened = extra.pop("opened_at", None) or when - timedelta(days=rng.randint(20, 90))
        out.append(Opening(id=f"REQ-{n:05d}", role_id=role_id, opened_at=opened, **extra))
    return out


def _opportunities(
    roles: dict[str, Role], people: Sequence[Employee], rng: random.Random
) -> tuple[list[Opportunity], list[OpportunityAssignment]]:
    raw = json.loads(resources.files("engine.demo").joinpath("data", "opportunities.json").read_text("utf-8"))
    holders: dict[str, list[Employee]] = defaultdict(list)
    for e in people:
        holders[e.role_id or ""].append(e)
    opps = []
    for entry in raw:
        owners = sorted(holders.get(entry["owner_role"], []), key=lambda e: e.id)
        owner = owners[0].id if owners else None
        opps.append(Opportunity.model_validate({**entry["data"], "owner_id": owner}))
    seats = []
    # A few seats already taken (one rotation is full), and the closed gig's super-users completed it.
    for opp_id, n, status in (
        ("rotation-store-ops", 1, "assigned"),
        ("stretch-unit-budget", 2, "assigned"),
        ("gig-epic-super-user", 3, "completed"),
    ):
        o = next(x for x in opps if x.id == opp_id)
        fam = {"rotation-store-ops": "retail", "stretch-unit-budget": "nursing", "gig-epic-super-user": "nursing"}[
            opp_id
        ]
        pool = [
            e
            for e in people
            if roles[e.role_id or ""].family == fam
            and e.id not in (o.owner_id, DEMO_EMPLOYEE_ID)
            and 2 <= roles[e.role_id or ""].level <= 4
        ]
        for e in rng.sample(sorted(pool, key=lambda e: e.id), n):
            seats.append(
                OpportunityAssignment(
                    opportunity_id=o.id,
                    employee_id=e.id,
                    status=status,
                    started_at=o.starts_at,
                    completed_at=o.ends_at if status == "completed" else None,
                )
            )
    return opps, seats
