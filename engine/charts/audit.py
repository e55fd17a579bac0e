"""Audit charts: impact ratios against the four-fifths line, flagged groups in the warning colour."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from engine.charts.svg import bar_chart

__all__ = ["impact_chart", "promotion_chart"]


def impact_chart(rows: Sequence[Mapping[str, Any]], *, title: str) -> str:
    """One bar per group: its impact ratio (groups with no ratio are left out), line at 0.8."""
    shown = [r for r in rows if r.get("impact_ratio") is not None]
    flagged = [bool(r.get("flag")) for r in shown]
    desc = "; ".join(
        f"{r['group']}: impact ratio {r['impact_ratio']:.2f}, selected {r['selected']} of {r['pool']}"
        f"{' (flagged)' if r.get('flag') else ''}{' (under 2% of the pool)' if r.get('small') else ''}"
        for r in shown
    ) or "no decisions in the window"
    return bar_chart(
        [(_label(r), float(r["impact_ratio"])) for r in shown], title=title, desc=desc,
        max_value=max([1.0, *(float(r["impact_ratio"]) for r in shown)]), threshold=0.8,
        threshold_label="four-fifths (0.8)", highlight=flagged,
    )


def promotion_chart(rows: Sequence[Mapping[str, Any]], *, title: str) -> str:
    """One bar per (unsuppressed) group: its promotion rate in the window."""
    shown = [r for r in rows if not r.get("suppressed")]
    desc = "; ".join(f"{r['group']}: {r['promotions']} promotions, headcount {r['headcount']}" for r in shown)
    return bar_chart(
        [(str(r["group"]), float(r["promotion_rate"])) for r in shown], title=title, desc=desc or "no groups",
        value_format="{:.1%}", highlight=[bool(r.get("flag")) for r in shown],
    )


MAX_LABEL = 32  # the full names are in the chart's description and the table beside it


def _label(row: Mapping[str, Any]) -> str:
    name = str(row["group"])
    if len(name) > MAX_LABEL:
        name = name[: MAX_LABEL - 1].rstrip() + "…"
    return f"{name}{' *' if row.get('small') else ''}"
