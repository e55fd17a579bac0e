"""Mobility analytics against hand counts (store only: no index, no model).

Window 2024-01-01 .. 2024-12-31. Roles a1 < a2 < a3 (family A), b1 < b2 (family B).

    P1 hired 2020-01-01 a1;  a1->a2 2024-03-01  promotion (50.0 months in a1)
    P2 hired 2022-01-01 a1;  a1->a2 2023-06-01 (before);  a2->a3 2024-06-01 promotion (12.0 months)
    P3 hired 2021-01-01 a2;  a2->b2 2024-09-01  lateral, leaves family A
    P4 hired 2023-01-01 a1;  stays
    P5 hired 2024-05-01 b1;  b1->b2 2024-10-01  promotion (5.0 months), not in the starting headcount
    P6 hired 2019-01-01 a3;  a3->a2 2024-02-01  step down
    P7 hired 2018-01-01 b1;  b1->b2 2025-02-01  after the window
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from engine.api import Skillgraph
from engine.config import Config
from engine.errors import InvalidInput
from engine.models import Employee, Opening, Role, Transition

SINCE, UNTIL = dt.date(2024, 1, 1), dt.date(2024, 12, 31)


def _sg(tmp_path: Path, records: list) -> Skillgraph:
    sg = Skillgraph(Config(db_url=f"sqlite:///{tmp_path / 'a.db'}", home=tmp_path / "home"))
    sg.init()
    sg.store.upsert(records)
    return sg


def _roles() -> list[Role]:
    return [Role(id=i, title=i.upper(), family=i[0].upper(), level=int(i[1])) for i in ("a1", "a2", "a3", "b1", "b2")]


def _hand_org() -> list:
    people = [
        ("P1", "a2", "2020-01-01"),
        ("P2", "a3", "2022-01-01"),
        ("P3", "b2", "2021-01-01"),
        ("P4", "a1", "2023-01-01"),
        ("P5", "b2", "2024-05-01"),
        ("P6", "a2", "2019-01-01"),
        ("P7", "b2", "2018-01-01"),
    ]
    moves = [
        ("P1", "a1", "a2", "2024-03-01"),
        ("P2", "a1", "a2", "2023-06-01"),
        ("P2", "a2", "a3", "2024-06-01"),
        ("P3", "a2", "b2", "2024-09-01"),
        ("P5", "b1", "b2", "2024-10-01"),
        ("P6", "a3", "a2", "2024-02-01"),
        ("P7", "b1", "b2", "2025-02-01"),
    ]
    openings = [
        Opening(id="O1", role_id="a2", opened_at="2024-01-10", closed_at="2024-04-01", source="internal"),
        Opening(id="O2", role_id="a3", opened_at="2024-02-01", closed_at="2024-07-01", source="external"),
        Opening(id="O3", role_id="b2", opened_at="2024-06-01", closed_at="2024-11-01", source="internal"),
        Opening(id="O4", role_id="a1", opened_at="2024-06-01"),
        Opening(id="O5", role_id="a2", opened_at="2023-09-01", closed_at="2023-12-01", source="internal"),
    ]
    return [
        *_roles(),
        *(Employee(id=i, display_name=i, role_id=r, hired_at=h) for i, r, h in people),
        *(Transition(employee_id=e, from_role_id=a, to_role_id=b, date=d) for e, a, b, d in moves),
        *openings,
    ]


def test_family_figures_equal_hand_counts(tmp_path: Path) -> None:
    sg = _sg(tmp_path, _hand_org())
    rep = sg.programme.mobility(since=SINCE, until=UNTIL, by="family")
    g = {x.key: x for x in rep.groups}
    a, b = g["A"], g["B"]
    assert (a.headcount, a.moves_out, a.promotions, a.lateral_moves) == (5, 1, 2, 1)
    assert a.promotion_rate == pytest.approx(0.4) and a.median_months_in_role == pytest.approx(31.0)
    assert (a.openings_closed, a.internal_fill_rate) == (2, 0.5)
    assert (b.headcount, b.moves_out, b.promotions, b.lateral_moves) == (1, 0, 1, 0)
    assert b.promotion_rate == 1.0 and b.median_months_in_role == pytest.approx(5.0) and b.internal_fill_rate == 1.0
    t = rep.totals
    assert (t.headcount, t.moves_out, t.promotions, t.lateral_moves) == (6, 5, 3, 1)
    assert t.promotion_rate == pytest.approx(0.5) and t.median_months_in_role == pytest.approx(12.0)
    assert t.internal_fill_rate == pytest.approx(2 / 3, abs=1e-4) and t.openings_closed == 3


def test_role_figures_equal_hand_counts(tmp_path: Path) -> None:
    sg = _sg(tmp_path, _hand_org())
    g = {x.key: x for x in sg.programme.mobility(since=SINCE, until=UNTIL, by="role").groups}
    counts = {k: (v.headcount, v.moves_out, v.promotions, v.lateral_moves) for k, v in g.items()}
    assert counts == {
        "a1": (2, 1, 1, 0),
        "a2": (2, 2, 1, 1),
        "a3": (1, 1, 0, 0),
        "b1": (1, 1, 1, 0),
        "b2": (0, 0, 0, 0),
    }
    assert g["a1"].promotion_rate == 0.5 and g["a2"].internal_fill_rate == 1.0 and g["a3"].internal_fill_rate == 0.0
    assert g["b2"].promotion_rate is None and g["a1"].internal_fill_rate is None  # nothing closed for a1


def test_a_window_with_no_closed_openings_has_no_fill_rate(tmp_path: Path) -> None:
    sg = _sg(tmp_path, _hand_org())
    rep = sg.programme.mobility(since=dt.date(2022, 1, 1), until=dt.date(2022, 12, 31))
    assert rep.totals.internal_fill_rate is None and rep.totals.promotions == 0
    assert rep.totals.headcount == 5  # P4 and P5 were not hired yet
    with pytest.raises(InvalidInput, match="before since"):
        sg.programme.mobility(since=UNTIL, until=SINCE)
    with pytest.raises(InvalidInput, match="by must be one of"):
        sg.programme.mobility(by="site")


def _hoarding_org() -> list:
    """Three managers with 12 reports each in role x1, and one with 2.

    HOARD: none of their 12 moved in 2024. M2 and M3: 5 of 12 each moved to x2 (now under NEWM, the
    move records who they left). SMALL: 2 reports, neither moved (a small team with a stay).
    """
    roles = [
        Role(id="x1", title="Associate", family="X", level=1),
        Role(id="x2", title="Senior", family="X", level=2),
        Role(id="xm", title="Manager", family="X", level=3),
    ]
    out: list = [*roles]
    for m in ("HOARD", "M2", "M3", "SMALL", "NEWM"):
        out.append(Employee(id=m, display_name=f"Boss {m}", role_id="xm", team=f"team-{m}", hired_at="2015-01-01"))
    for m, n, moved in (("HOARD", 12, 0), ("M2", 12, 5), ("M3", 12, 5), ("SMALL", 2, 0)):
        for k in range(n):
            eid = f"{m}-{k}"
            if k < moved:
                out.append(
                    Employee(
                        id=eid,
                        display_name=eid,
                        role_id="x2",
                        manager_id="NEWM",
                        team="team-NEWM",
                        hired_at="2020-01-01",
                    )
                )
                out.append(
                    Transition(
                        employee_id=eid,
                        from_role_id="x1",
                        to_role_id="x2",
                        date="2024-05-01",
                        from_team=f"team-{m}",
                        from_manager_id=m,
                    )
                )
            else:
                out.append(
                    Employee(
                        id=eid, display_name=eid, role_id="x1", manager_id=m, team=f"team-{m}", hired_at="2020-01-01"
                    )
                )
    return out


@pytest.mark.parametrize("by", ["manager", "team"])
def test_hoarding_flags_the_planted_team_not_the_small_one(tmp_path: Path, by: str) -> None:
    sg = _sg(tmp_path, _hoarding_org())
    rep = sg.programme.mobility(since=SINCE, until=UNTIL, by=by)
    assert rep.hoarding_by == by
    sig = {x.key: x for x in rep.hoarding}
    hoard = sig["HOARD" if by == "manager" else "team-HOARD"]
    if by == "manager":
        # Comparable people outside HOARD's reports: 10 of 26 in x1 moved -> 12 x 10/26 = 4.6 expected.
        assert (hoard.headcount, hoard.moved) == (12, 0) and hoard.expected == pytest.approx(12 * 10 / 26, abs=0.01)
    else:  # the team also holds its manager
        assert (hoard.headcount, hoard.moved) == (13, 0) and hoard.expected > 12 * 10 / 26
    assert hoard.flag and hoard.p_value < 0.05
    assert [x.key for x in rep.hoarding if x.flag] == [hoard.key]
    assert "SMALL" not in sig and "team-SMALL" not in sig and rep.small_groups >= 1
    m2 = sig["M2" if by == "manager" else "team-M2"]
    assert (m2.headcount, m2.moved, m2.flag) == (12 if by == "manager" else 13, 5, False)
    groups = {x.key: x for x in rep.groups}
    # Moves count for the group the person left (recorded on the move), not where they are now.
    assert groups["M2" if by == "manager" else "team-M2"].moves_out == 5
    assert groups["M2" if by == "manager" else "team-M2"].promotions == 5


def test_hoarding_is_also_reported_beside_a_family_report(tmp_path: Path) -> None:
    sg = _sg(tmp_path, _hoarding_org())
    rep = sg.programme.mobility(since=SINCE, until=UNTIL, by="family")
    assert rep.hoarding_by == "manager" and [x.label for x in rep.hoarding if x.flag] == ["Boss HOARD"]


def test_bottleneck_is_the_role_people_do_not_leave(tmp_path: Path) -> None:
    roles = [Role(id=f"r{i}", title=f"Role {i}", family="F", level=i) for i in (1, 2, 3, 4)]
    out: list = [*roles]
    # r1: 30 people, 20 moved on to r3 in 2024 (after 13 months); r2: 20 people in the role since 2018,
    # 1 moved. Organisation: 21 of 59 moved, so 20 x 21/59 = 7.1 were to be expected from r2.
    for k in range(30):
        moved = k < 20
        out.append(Employee(id=f"a{k}", display_name=f"a{k}", role_id="r3" if moved else "r1", hired_at="2023-01-01"))
        if moved:
            out.append(Transition(employee_id=f"a{k}", from_role_id="r1", to_role_id="r3", date="2024-02-01"))
    for k in range(20):
        moved = k < 1
        out.append(Employee(id=f"b{k}", display_name=f"b{k}", role_id="r3" if moved else "r2", hired_at="2018-01-01"))
        if moved:
            out.append(Transition(employee_id=f"b{k}", from_role_id="r2", to_role_id="r3", date="2024-03-01"))
    for k in range(9):  # the top role: nowhere to go by design, never a desert
        out.append(Employee(id=f"c{k}", display_name=f"c{k}", role_id="r4", hired_at="2010-01-01"))
    sg = _sg(tmp_path, out)
    rep = sg.programme.mobility(since=SINCE, until=UNTIL, by="role")
    assert [b.role_id for b in rep.bottlenecks] == ["r2"]
    b = rep.bottlenecks[0]
    assert (b.headcount, b.moved) == (20, 1) and b.move_out_rate == pytest.approx(0.05)
    assert b.median_months_in_role > 80
