"""``Programme``: the mobility programme over one engine (``Skillgraph.programme``).

Succession, mentors and opportunities read the engine's derived state (skills matrix, shortlist
engine); the analytics and the career map read the store alone (no index, no model needed).
Answers are computed "as of" :func:`engine.programme.clock.as_of` (today, unless the store pins a
date, as the demo company does).
"""

from __future__ import annotations

import datetime as dt
import threading
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel, ValidationError
from sqlalchemy import func, select

from engine.errors import Conflict, EmployeeNotFound, InvalidInput, RoleNotFound
from engine.models import Employee, EmployeeSkill, Mentorship, Opportunity, OpportunityAssignment
from engine.programme import analytics, clock, opportunities, succession
from engine.programme.careermap import CareerMap, career_map
from engine.programme.data import load_openings, load_org_rows, load_transitions, taken_seats
from engine.programme.history import Timeline, build_timeline
from engine.programme.mentors import find_mentors
from engine.programme.org import OrgArrays, build_org
from engine.programme.results import (
    Completion,
    Mentors,
    MobilityReport,
    OpportunityCandidates,
    OpportunityMatches,
    SkillStep,
    SuccessionOverview,
    SuccessionRow,
    SuccessionSlate,
)
from engine.store import tables as t
from engine.store.mentorships import mentorships

if TYPE_CHECKING:
    from engine.api import Skillgraph

__all__ = ["MAX_LIMIT", "Programme"]

T = TypeVar("T", bound=BaseModel)
MAX_LIMIT = 100
DEFAULT_WINDOW_DAYS = 365
SLATE_CACHE = 32


def _record(model: type[T], **fields: Any) -> T:
    """A domain record built here from request values: a bad value is the caller's error (422)."""
    try:
        return model(**fields)
    except ValidationError as exc:
        from engine.importers.records import format_validation_error

        raise InvalidInput(f"{model.__name__.lower()}: {format_validation_error(exc)}") from None


def _check_limit(limit: int) -> None:
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidInput(f"limit must be between 1 and {MAX_LIMIT}, got {limit}")


class Programme:
    """Succession slates, mentors, opportunities and mobility analytics."""

    def __init__(self, sg: Skillgraph) -> None:
        self.sg = sg
        self._lock = threading.Lock()
        self._org: OrgArrays | None = None
        self._slates: dict[tuple[str, str], SuccessionSlate] = {}
        self._rows: dict[tuple[str, str], SuccessionRow] = {}
        self._timeline: tuple[str, Timeline, list[tuple[Any, ...]]] | None = None

    # -- plumbing ---------------------------------------------------------------------------------
    def as_of(self) -> dt.date:
        return clock.as_of(self.sg.store)

    def _state(self, *, employee_id: str | None = None, role_id: str | None = None) -> Any:
        st = self.sg.state()
        if employee_id is not None and employee_id not in st.people.index:
            raise EmployeeNotFound(employee_id)
        if role_id is not None and role_id not in st.catalog.role_index:
            raise RoleNotFound(role_id)
        return st

    def _org_arrays(self, st: Any) -> OrgArrays:
        day = self.as_of()
        with self._lock:
            org = self._org
            if org is None or org.version != st.version or org.as_of != day or len(org.capacity) != len(st.people):
                org = self._org = build_org(self.sg.store, st.people, st.version, day)
            return org

    def _history(self) -> tuple[Timeline, list[tuple[Any, ...]]]:
        store = self.sg.store
        version = store.version()
        with self._lock:
            if self._timeline is None or self._timeline[0] != version:
                opening_rows = load_openings(store)
                keys = ([o[6] for o in opening_rows if o[6]], [o[5] for o in opening_rows if o[5]])
                tl = build_timeline(load_org_rows(store), store.all("role"), load_transitions(store), keys)  # type: ignore[arg-type]
                self._timeline = (version, tl, opening_rows)
            return self._timeline[1], self._timeline[2]

    def target_role(self, employee_id: str, role_id: str | None) -> str:
        """The role a person develops toward: the one given, else their top next role (up, then any)."""
        if role_id is not None:
            return role_id
        for direction in ("up", "any"):
            recs = self.sg.recommend(employee_id, limit=1, direction=direction)
            if recs.items:
                return recs.items[0].role_id
        raise InvalidInput(f"no next role found for {employee_id!r}: give a role_id")

    # -- succession -------------------------------------------------------------------------------
    def _full_slate(self, st: Any, role_id: str) -> SuccessionSlate:
        """Slates are cached per store version (a few dozen roles; the overview keeps only its rows)."""
        key = (st.version, role_id)
        with self._lock:
            hit = self._slates.get(key)
        if hit is None:
            hit = succession.full_slate(st, role_id)
            with self._lock:
                if any(k[0] != st.version for k in self._slates) or len(self._slates) >= SLATE_CACHE:
                    self._slates.clear()
                self._slates[key] = hit
                self._rows[key] = succession.summary_row(hit)
        return hit

    def _row(self, st: Any, role_id: str) -> SuccessionRow:
        key = (st.version, role_id)
        with self._lock:
            if any(k[0] != st.version for k in self._rows):
                self._rows = {k: v for k, v in self._rows.items() if k[0] == st.version}
            hit = self._rows.get(key)
        if hit is None:
            hit = succession.summary_row(succession.full_slate(st, role_id))
            with self._lock:
                self._rows[key] = hit
        return hit

    def succession(self, role_id: str, *, limit: int = 5) -> SuccessionSlate:
        _check_limit(limit)
        st = self._state(role_id=role_id)
        slate = succession.trim(self._full_slate(st, role_id), limit)
        self.sg.audit.log_succession(st, role_id, [*slate.ready_now, *slate.ready_1y, *slate.ready_2y],
                                     params={"limit": limit})
        return slate

    def succession_overview(self, *, critical: bool = True) -> SuccessionOverview:
        """Every critical role (every role with ``critical=False``): bench strength and risk.

        Each role costs one shortlist over its pool (about 0.15 s on the demo company); results are
        cached until the store changes, so only the first all-roles overview after a write is slow.
        """
        st = self._state()
        roles = [r for r in st.catalog.roles if r.critical or not critical]
        rows = [self._row(st, r.id) for r in roles]
        rows.sort(key=lambda x: (not x.at_risk, x.bench_strength, x.role_id))
        return SuccessionOverview(as_of=self.as_of(), items=rows)

    # -- mentors ----------------------------------------------------------------------------------
    def mentors(self, employee_id: str, role_id: str | None = None, *, limit: int = 5) -> Mentors:
        _check_limit(limit)
        self._state(employee_id=employee_id, role_id=role_id)
        target = self.target_role(employee_id, role_id)
        st = self._state()
        return find_mentors(st, self._org_arrays(st), employee_id, target, limit=limit)

    def start_mentorship(
        self,
        mentor_id: str,
        mentee_id: str,
        *,
        role_id: str | None = None,
        skill_ids: list[str] | None = None,
        started_at: dt.date | None = None,
    ) -> Mentorship:
        """Record a mentorship, refusing a mentor with no free place (409)."""
        store = self.sg.store
        found = {e.id: e for e in store.load("employee", [mentor_id, mentee_id])}
        missing = [i for i in (mentor_id, mentee_id) if i not in found]
        if missing:  # the body names people who do not exist: a conflict with the stored data, as for PUT
            raise Conflict("; ".join(f"unknown employee {i!r}" for i in missing))
        mentor: Employee = found[mentor_id]  # type: ignore[assignment]
        day = started_at or self.as_of()
        m = _record(
            Mentorship,
            mentor_id=mentor_id,
            mentee_id=mentee_id,
            started_at=day,
            role_id=role_id,
            skill_ids=skill_ids or [],
        )
        c = mentorships.c
        with store.engine.connect() as conn:
            running = int(
                conn.execute(
                    select(func.count())
                    .select_from(mentorships)
                    .where(c.mentor_id == mentor_id, (c.ended_at.is_(None)) | (c.ended_at > day.isoformat()))
                ).scalar_one()
            )
            same = conn.execute(
                select(c.id).where(c.mentor_id == mentor_id, c.mentee_id == mentee_id, c.ended_at.is_(None))
            ).first()
        if same is not None:
            raise Conflict(f"{mentor_id} already mentors {mentee_id} (mentorship {same[0]})")
        if running >= mentor.mentor_capacity:
            raise Conflict(f"mentor {mentor_id} has no free place ({running} of {mentor.mentor_capacity} taken)")
        self.sg.upsert([m])
        return m

    # -- opportunities ----------------------------------------------------------------------------
    def _opportunities(self) -> tuple[list[Opportunity], opportunities.Seats]:
        store = self.sg.store
        return store.all("opportunity"), opportunities.Seats(taken_seats(store))  # type: ignore[return-value]

    def opportunities(self, employee_id: str, role_id: str | None = None, *, limit: int = 5) -> OpportunityMatches:
        _check_limit(limit)
        self._state(employee_id=employee_id, role_id=role_id)
        target = self.target_role(employee_id, role_id)
        opps, seats = self._opportunities()
        return opportunities.matches_for(self._state(), opps, seats, employee_id, target, day=self.as_of(), limit=limit)

    def opportunity_candidates(self, opportunity_id: str, *, limit: int = 10) -> OpportunityCandidates:
        _check_limit(limit)
        opp: Opportunity = self.sg.store.get("opportunity", opportunity_id)  # type: ignore[assignment]
        _, seats = self._opportunities()
        return opportunities.growers(self._state(), opp, seats, limit=limit)

    def assign(
        self, opportunity_id: str, employee_id: str, *, started_at: dt.date | None = None
    ) -> OpportunityAssignment:
        """Put someone on an opportunity: it must be open, running and have a free seat (else 409)."""
        store = self.sg.store
        opp: Opportunity = store.get("opportunity", opportunity_id)  # type: ignore[assignment]
        emp = store.get_employee(employee_id)
        family = store.get_role(emp.role_id).family if emp.role_id else None
        _, seats = self._opportunities()
        day = self.as_of()
        if not opportunities.open_to(opp, family):
            raise Conflict(f"opportunity {opp.id} is open to {', '.join(opp.families)} only")
        if employee_id in seats.people.get(opp.id, ()):
            raise Conflict(f"{employee_id} is already on opportunity {opp.id}")
        if opp.owner_id == employee_id:
            raise Conflict(f"{employee_id} runs opportunity {opp.id}")
        if not opportunities.available(opp, seats, day):
            why = "closed" if opp.status != "open" else "ended" if opp.ends_at and opp.ends_at < day else "full"
            raise Conflict(f"opportunity {opp.id} is {why}")
        a = _record(
            OpportunityAssignment,
            opportunity_id=opp.id,
            employee_id=employee_id,
            status="assigned",
            started_at=started_at or max(day, opp.starts_at or day),
        )
        self.sg.upsert([a])
        return a

    def complete(self, opportunity_id: str, employee_id: str, *, completed_at: dt.date | None = None) -> Completion:
        """Record that someone completed an opportunity and raise their skills (source ``opportunity``)."""
        store = self.sg.store
        opp: Opportunity = store.get("opportunity", opportunity_id)  # type: ignore[assignment]
        emp = store.get_employee(employee_id)
        day = completed_at or self.as_of()
        prior = store.load("opportunity_assignment", [f"{opp.id}:{employee_id}"])
        if prior and prior[0].status == "completed":  # type: ignore[attr-defined]
            raise Conflict(f"{employee_id} already completed opportunity {opp.id}")
        have = {s.skill_id: s.level for s in emp.skills}
        raised = opportunities.raised_levels(opp, have)
        stamp = dt.datetime.combine(day, dt.time(12, 0), tzinfo=dt.UTC)
        new = {sid: to for sid, _, to in raised}
        skills = [
            s
            if s.skill_id not in new
            else EmployeeSkill(skill_id=s.skill_id, level=new.pop(s.skill_id), source="opportunity", updated_at=stamp)
            for s in emp.skills
        ]
        skills += [
            EmployeeSkill(skill_id=sid, level=lv, source="opportunity", updated_at=stamp) for sid, lv in new.items()
        ]
        started = prior[0].started_at if prior else None  # type: ignore[attr-defined]
        a = _record(
            OpportunityAssignment,
            opportunity_id=opp.id,
            employee_id=employee_id,
            status="completed",
            started_at=started if started and started <= day else None,
            completed_at=day,
        )
        self.sg.upsert([Employee.model_validate({**emp.model_dump(), "skills": [s.model_dump() for s in skills]}), a])
        names = {s.id: s.name for s in store.load("skill", [sid for sid, _, _ in raised])}  # type: ignore[attr-defined]
        return Completion(
            opportunity_id=opp.id,
            employee_id=employee_id,
            completed_at=day,
            raised=[SkillStep(skill_id=sid, name=names.get(sid, sid), from_=a_, to=b) for sid, a_, b in raised],
        )

    # -- analytics --------------------------------------------------------------------------------
    def mobility(
        self,
        *,
        since: dt.date | None = None,
        until: dt.date | None = None,
        by: str = "family",
        min_group_size: int = analytics.MIN_GROUP_SIZE,
    ) -> MobilityReport:
        """Mobility figures for ``since``..``until`` (default: the year up to the as-of date)."""
        until = until or self.as_of()
        since = since or until - dt.timedelta(days=DEFAULT_WINDOW_DAYS)
        tl, opening_rows = self._history()
        return analytics.mobility_report(
            tl, opening_rows, since=since, until=until, by=by, min_group_size=min_group_size
        )

    def career_map(self, family: str, *, since: dt.date | None = None, until: dt.date | None = None) -> CareerMap:
        return career_map(self.sg.store, family, since=since, until=until)

    def headcount(self) -> int:
        with self.sg.store.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(t.employees)).scalar_one())
