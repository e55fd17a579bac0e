"""Programme charts: valid, accessible SVG whose text says what the bars show."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from collections import Counter

from engine.charts.mobility import mobility_svg, succession_svg
from engine.programme.results import (
    Bottleneck,
    GroupStats,
    HoardingSignal,
    MobilityReport,
    SuccessionOverview,
    SuccessionRow,
)

NS = "{http://www.w3.org/2000/svg}"


def _g(key: str, head: int, promos: int, closed: int, internal: int) -> GroupStats:
    return GroupStats(
        key=key,
        label=key.title(),
        headcount=head,
        moves_out=promos,
        promotions=promos,
        lateral_moves=0,
        promotion_rate=promos / head,
        internal_fill_rate=internal / closed if closed else None,
        median_months_in_role=20.0,
        openings_closed=closed,
        openings_internal=internal,
    )


def _report() -> MobilityReport:
    return MobilityReport(
        since=dt.date(2024, 1, 1),
        until=dt.date(2024, 12, 31),
        by="team",
        totals=_g("all", 100, 12, 10, 4),
        groups=[_g("north", 60, 10, 6, 3), _g("south", 40, 2, 4, 1)],
        bottlenecks=[
            Bottleneck(
                role_id="r",
                title="Stock Clerk",
                family="f",
                level=1,
                headcount=20,
                moved=0,
                move_out_rate=0.0,
                median_months_in_role=40.0,
                why="...",
            )
        ],
        hoarding_by="team",
        hoarding=[
            HoardingSignal(
                key="south",
                label="South & Co <b>",
                headcount=40,
                moved=0,
                expected=6.5,
                ratio=0.0,
                p_value=0.001,
                q_value=0.002,
                flag=True,
                why="...",
            )
        ],
        min_group_size=8,
        small_groups=0,
    )


def _texts(root: ET.Element) -> list[str]:
    return ["".join(t.itertext()) for t in root.iter(f"{NS}text")]


def test_mobility_chart_is_valid_accessible_svg() -> None:
    svg = mobility_svg(_report())
    root = ET.fromstring(svg)  # well-formed even with markup characters in a team name
    assert root.find(f"{NS}title").text == "Mobility by team, 2024-01-01 to 2024-12-31"
    ids = Counter(e.get("id") for e in root.iter() if e.get("id"))
    assert all(n == 1 for n in ids.values())  # each panel's title/desc has its own id
    for panel in root.findall(f"{NS}svg"):
        labelled = panel.get("aria-labelledby").split()
        assert all(i in ids for i in labelled)
    texts = _texts(root)
    assert "Promotion rate by team" in texts and "17%" in texts  # north: 10/60
    assert "North (3/6)" in texts and "50%" in texts  # internal fill, with its counts
    assert "⚑ South & Co <b> (n=40)" in texts and "6.5" in texts and "0" in texts
    assert "Stock Clerk" in texts


def test_empty_report_says_so() -> None:
    empty = _report().model_copy(update={"groups": [], "bottlenecks": [], "hoarding": []})
    root = ET.fromstring(mobility_svg(empty))
    assert any("No mobility recorded" in t for t in _texts(root))


def test_succession_chart_marks_roles_at_risk() -> None:
    rows = [
        SuccessionRow(
            role_id="a",
            title="Store Manager",
            critical=True,
            incumbents=3,
            bench_strength=0,
            ready_now=0,
            ready_1y=0,
            ready_2y=0,
            at_risk=True,
        ),
        SuccessionRow(
            role_id="b",
            title="Nurse Manager",
            critical=True,
            incumbents=2,
            bench_strength=4,
            ready_now=1,
            ready_1y=2,
            ready_2y=1,
            at_risk=False,
        ),
    ]
    root = ET.fromstring(succession_svg(SuccessionOverview(as_of=dt.date(2025, 6, 30), items=rows)))
    texts = _texts(root)
    # An empty bench draws no bar: the mark is in the text, not in colour alone.
    assert "⚑ Store Manager (0/0/0)" in texts and "Nurse Manager (1/2/1)" in texts and "4" in texts
    bars = [(float(r.get("width")), r.get("fill")) for r in root.iter(f"{NS}rect")]
    assert bars[0][0] == 0.0 and bars[1][0] > 0 and bars[0][1] != bars[1][1]
    assert "at risk" in root.find(f"{NS}desc").text
