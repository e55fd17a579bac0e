"""Career history as arrays: who held which role, in which team, under whom, on any date.

Derived from the store, since only current employees and their moves are stored:

- A person's role on day ``d`` is the ``from_role_id`` of their first move dated on or after
  ``d``; with no such move, their current role. Their team and manager on ``d`` are that move's
  ``from_team`` / ``from_manager_id`` when recorded, else their current team and manager.
- A person is employed on ``d`` when ``hired_at`` <= ``d``; without ``hired_at`` they are
  assumed employed on any date (they count in every window's starting headcount).
- The spell a move ends began at the person's previous move, or at ``hired_at`` for the first
  one (unknown without it: such moves are left out of the months-in-role medians).
- Moves without a date are left out; moves without an employee count for their roles (and the
  team/manager they name) but in no one's timeline. People who have left are not in the store,
  so their history is not either.

Every query here is a handful of array operations (sorted keys + searchsorted), no loop over people.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from engine.models import Role
from engine.programme.data import OrgRows

__all__ = ["NO_DATE", "Timeline", "build_timeline", "day_number"]

NO_DATE = -1
_K = 10_000_000  # > any day number: (person, day) pairs packed into one sortable int64


def day_number(d: dt.date) -> int:
    return d.toordinal()


class _Codes:
    """String keys <-> dense int codes (-1 for None)."""

    def __init__(self) -> None:
        self.keys: list[str] = []
        self.index: dict[str, int] = {}

    def code(self, key: str | None) -> int:
        if not key:
            return -1
        c = self.index.get(key)
        if c is None:
            c = self.index[key] = len(self.keys)
            self.keys.append(key)
        return c

    def codes(self, keys: list[str | None]) -> np.ndarray:
        return np.asarray([self.code(k) for k in keys], np.int64)


@dataclass
class Timeline:
    emp_ids: list[str]
    names: dict[str, str]
    role: np.ndarray  # (N,) current role code, -1 none
    team: np.ndarray  # (N,) current team code
    manager: np.ndarray  # (N,) current manager code
    hired: np.ndarray  # (N,) day number or NO_DATE
    # Moves, sorted by (person, day); anonymous moves (person -1) first.
    m_emp: np.ndarray
    m_day: np.ndarray
    m_from: np.ndarray
    m_to: np.ndarray
    m_from_team: np.ndarray
    m_from_manager: np.ndarray
    roles: list[Role]
    role_index: dict[str, int]
    level: np.ndarray  # (R,)
    family_code: np.ndarray  # (R,)
    families: list[str]
    teams: _Codes
    managers: _Codes

    @property
    def n(self) -> int:
        return len(self.emp_ids)

    def _next_move(self, day: int) -> tuple[np.ndarray, np.ndarray]:
        """Per person: index of their first move dated on or after ``day``, and whether there is one."""
        if not len(self.m_day):
            return np.zeros(self.n, np.int64), np.zeros(self.n, bool)
        keys = np.where(self.m_emp >= 0, self.m_emp * _K + self.m_day, -1)
        idx = np.searchsorted(keys, np.arange(self.n, dtype=np.int64) * _K + day, side="left")
        safe = np.minimum(idx, len(keys) - 1)
        return safe, (idx < len(keys)) & (self.m_emp[safe] == np.arange(self.n))

    def _at(self, day: int, per_move: np.ndarray, current: np.ndarray) -> np.ndarray:
        idx, has = self._next_move(day)
        if not len(per_move):
            return current.copy()
        known = has & (per_move[idx] >= 0)
        return np.where(known, per_move[idx], current)

    def role_at(self, day: int) -> np.ndarray:
        return self._at(day, self.m_from, self.role)

    def team_at(self, day: int) -> np.ndarray:
        return self._at(day, self.m_from_team, self.team)

    def manager_at(self, day: int) -> np.ndarray:
        return self._at(day, self.m_from_manager, self.manager)

    def employed_at(self, day: int) -> np.ndarray:
        return (self.hired == NO_DATE) | (self.hired <= day)

    # -- per move ---------------------------------------------------------------------------------
    def _same_person_next(self) -> np.ndarray:
        nxt = np.zeros(len(self.m_emp), bool)
        if len(self.m_emp) > 1:
            nxt[:-1] = (self.m_emp[1:] == self.m_emp[:-1]) & (self.m_emp[:-1] >= 0)
        return nxt

    def after(self, per_move: np.ndarray, current: np.ndarray) -> np.ndarray:
        """Per move: the person's team/manager after it (the next move's ``from_*``, else the current one)."""
        nxt = self._same_person_next()
        out = np.where(self.m_emp >= 0, current[np.maximum(self.m_emp, 0)], -1)
        shifted = np.empty_like(per_move)
        if len(per_move):
            shifted[:-1], shifted[-1] = per_move[1:], -1
        return np.where(nxt & (shifted >= 0), shifted, out)

    def spell_start(self) -> np.ndarray:
        """Per move: the day the role it leaves was taken (previous move, else hired_at; NO_DATE unknown)."""
        prev = np.zeros(len(self.m_emp), bool)
        if len(self.m_emp) > 1:
            prev[1:] = (self.m_emp[1:] == self.m_emp[:-1]) & (self.m_emp[1:] >= 0)
        before = np.empty_like(self.m_day)
        if len(before):
            before[1:], before[0] = self.m_day[:-1], NO_DATE
        hired = np.where(self.m_emp >= 0, self.hired[np.maximum(self.m_emp, 0)], NO_DATE)
        return np.where(prev, before, hired)

    def current_spell_start(self) -> np.ndarray:
        """Per person: the day they took their current role (last move, else hired_at; NO_DATE unknown)."""
        start = self.hired.copy()
        last = (self.m_emp >= 0) & ~self._same_person_next()  # each person's latest move
        start[self.m_emp[last]] = self.m_day[last]
        return start


def build_timeline(org: OrgRows, roles: list[Role], moves: list[tuple], openings_keys: tuple = ()) -> Timeline:
    """From employee rows, the roles and dated moves (employee_id, date, from, to, from_team, from_manager).

    ``openings_keys`` = (teams, manager ids) that openings name, so they share the code spaces.
    """
    role_index = {r.id: i for i, r in enumerate(roles)}
    families = sorted({r.family for r in roles})
    fam = {f: i for i, f in enumerate(families)}
    emp_index = {e: i for i, e in enumerate(org.ids)}
    teams, managers = _Codes(), _Codes()
    for tm in org.teams:
        teams.code(tm)
    for m in org.manager_ids:
        managers.code(m)
    moves = [m for m in moves if m[1] is not None]
    m_emp = np.asarray([emp_index.get(m[0], -1) if m[0] else -1 for m in moves], np.int64)
    m_day = np.asarray([day_number(m[1]) for m in moves], np.int64)
    order = np.lexsort((m_day, m_emp))
    moves = [moves[i] for i in order]
    m_emp, m_day = m_emp[order], m_day[order]
    tl = Timeline(
        emp_ids=list(org.ids),
        names=dict(zip(org.ids, org.names, strict=True)),
        role=np.asarray([role_index.get(r, -1) if r else -1 for r in org.role_ids], np.int64),
        team=teams.codes(org.teams),
        manager=managers.codes(org.manager_ids),
        hired=np.asarray([day_number(h) if h else NO_DATE for h in org.hired_at], np.int64),
        m_emp=m_emp,
        m_day=m_day,
        m_from=np.asarray([role_index.get(m[2], -1) for m in moves], np.int64),
        m_to=np.asarray([role_index.get(m[3], -1) for m in moves], np.int64),
        m_from_team=teams.codes([m[4] for m in moves]),
        m_from_manager=managers.codes([m[5] for m in moves]),
        roles=roles,
        role_index=role_index,
        level=np.asarray([r.level for r in roles], np.int64),
        family_code=np.asarray([fam[r.family] for r in roles], np.int64),
        families=families,
        teams=teams,
        managers=managers,
    )
    if openings_keys:
        for tm in openings_keys[0]:
            teams.code(tm)
        for m in openings_keys[1]:
            managers.code(m)
    return tl
