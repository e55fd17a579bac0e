"""The manager tree: references, cycles, and what an erasure leaves of it.

- A record's ``manager_id`` must name an employee stored or in the same batch ("unknown manager").
- The tree must stay a tree: the stored managers with the batch applied over them may not form a
  cycle. When they do, the batch record that closes the cycle (the last of the cycle's records in
  the batch) is rejected, its stored manager kept, and the check runs again, so exactly the
  records that close cycles are refused, each with the cycle it would make.
- Erasing an employee nulls ``manager_id`` of their reports (they are re-parented by the next HR
  import; a delete is never blocked by reports) and ``from_manager_id`` in move history.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, select

from engine.store import tables as t
from engine.store.refs import detach
from engine.store.registry import Check, Dependent
from engine.store.rows import IN_CHUNK, chunks

__all__ = ["CHECKS", "DEPENDENTS", "find_cycles"]


def _existing(conn: Connection, ids: set[str]) -> set[str]:
    found: set[str] = set()
    for chunk in chunks(sorted(ids), IN_CHUNK):
        found.update(conn.execute(select(t.employees.c.id).where(t.employees.c.id.in_(chunk))).scalars())
    return found


def find_cycles(manager_of: dict[str, str | None], starts: list[str]) -> list[list[str]]:
    """Cycles reachable from ``starts`` in a graph where each person has at most one manager."""
    state: dict[str, int] = {}  # 1 = on the path being walked, 2 = done
    cycles: list[list[str]] = []
    for s in starts:
        path: list[str] = []
        n: str | None = s
        while n is not None and n not in state:
            state[n] = 1
            path.append(n)
            n = manager_of.get(n)
        if n is not None and state.get(n) == 1:
            cycles.append(path[path.index(n) :])
        for p in path:
            state[p] = 2
    return cycles


def _check(conn: Connection, recs: list[Any]) -> list[str | None]:
    out: list[str | None] = [None] * len(recs)
    batch = {r.id for r in recs}
    wanted = {r.manager_id for r in recs if r.manager_id} - batch
    known = _existing(conn, wanted) if wanted else set()
    for i, r in enumerate(recs):
        if r.manager_id and r.manager_id not in batch and r.manager_id not in known:
            out[i] = f"unknown manager {r.manager_id!r}"
    if not any(r.manager_id for r in recs):
        return out  # a batch that only removes managers cannot close a cycle
    e = t.employees.c
    stored: dict[str, str | None] = dict(
        conn.execute(select(e.id, e.manager_id).where(e.manager_id.is_not(None))).all()  # type: ignore[arg-type]
    )
    manager_of = dict(stored)
    last: dict[str, int] = {}
    for i, r in enumerate(recs):
        manager_of[r.id] = r.manager_id
        last[r.id] = i
    refused: dict[str, list[str]] = {}
    while True:
        closers = []
        for cyc in find_cycles(manager_of, [i for i in last if i not in refused]):
            mine = [p for p in cyc if p in last and p not in refused]
            if mine:  # (a cycle of stored rows alone predates this check: not this batch's doing)
                closers.append((max(mine, key=last.__getitem__), cyc))
        if not closers:
            break
        for closer, cyc in closers:
            k = cyc.index(closer)
            refused[closer] = [*cyc[k:], *cyc[:k], closer]
            manager_of[closer] = stored.get(closer)
    for i, r in enumerate(recs):
        loop = refused.get(r.id)
        if loop is not None:
            why = f"manager {r.manager_id!r} would close a cycle in the manager tree: {' -> '.join(loop)}"
            out[i] = f"{out[i]}; {why}" if out[i] else why
    return out


def _erase(conn: Connection, id_: str, version: int) -> None:
    detach(conn, t.employees, "manager_id", id_, version)
    detach(conn, t.transitions, "from_manager_id", id_, version)


CHECKS = (Check(kind="employee", run=_check),)
DEPENDENTS = (Dependent(kind="employee", cleanup=_erase, name="reports and move history"),)
