"""The organisation as arrays aligned with the engine's employee rows (``State.people``).

Built once per store version and "as of" date: teams, direct managers, mentoring capacity and the
mentorships running then. The mentor search reads them next to the skills matrix, so it is a few
vector operations over everyone, never a loop over employees.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np

from engine.people import People
from engine.programme.data import active_mentorships, load_org_rows
from engine.store import Store

__all__ = ["OrgArrays", "build_org", "have_columns"]


@dataclass
class OrgArrays:
    version: str
    as_of: dt.date
    teams: list[str]  # team names; team_code indexes into it
    team_code: np.ndarray  # (N,) int, -1 = no team
    manager_row: np.ndarray  # (N,) int, -1 = no manager (or not a current employee)
    capacity: np.ndarray  # (N,) int
    active: np.ndarray  # (N,) int: mentorships running as of the date, as mentor
    mentors_of: dict[int, set[int]] = field(default_factory=dict)  # mentee row -> current mentor rows

    def team_of(self, row: int) -> str | None:
        c = int(self.team_code[row])
        return self.teams[c] if c >= 0 else None


def build_org(store: Store, people: People, version: str, day: dt.date) -> OrgArrays:
    rows = load_org_rows(store)
    n = len(people)
    index = people.index
    teams = sorted({tm for tm in rows.teams if tm})
    tcode = {tm: i for i, tm in enumerate(teams)}
    team_code = np.full(n, -1, np.int64)
    manager_row = np.full(n, -1, np.int64)
    capacity = np.zeros(n, np.int64)
    for eid, mgr, tm, cap in zip(rows.ids, rows.manager_ids, rows.teams, rows.capacity, strict=True):
        r = index.get(eid)
        if r is None:
            continue
        team_code[r] = tcode[tm] if tm else -1
        manager_row[r] = index.get(mgr, -1) if mgr else -1
        capacity[r] = cap
    active = np.zeros(n, np.int64)
    mentors_of: dict[int, set[int]] = {}
    for mentor, mentee in active_mentorships(store, day):
        a, b = index.get(mentor), index.get(mentee)
        if a is not None:
            active[a] += 1
        if a is not None and b is not None:
            mentors_of.setdefault(b, set()).add(a)
    return OrgArrays(version, day, teams, team_code, manager_row, capacity, active, mentors_of)


def have_columns(people: People, cols: np.ndarray) -> np.ndarray:
    """Dense (N, len(cols)) skill levels of everyone for a few skills (one sparse column slice)."""
    n = len(people)
    out = np.zeros((n, len(cols)), np.float32)
    if not len(cols):
        return out
    base = people.have_csr[:, cols].toarray()
    out[: base.shape[0]] = base
    for r, row in people.overlay.items():
        out[r] = row[cols]
    return out
