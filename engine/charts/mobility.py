"""Programme charts: mobility by group, the talent-hoarding signal, succession bench strength.

Each function returns one SVG document (``engine.charts.svg``): panels are stacked vertically,
each with its own heading, text labels on every bar and the numbers in the text (not colour alone).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from engine.charts.svg import INK, MUTED, PALETTE, Svg, bar_chart

__all__ = ["mobility_svg", "paired_bars", "stack", "succession_svg"]

MAX_BARS = 15


def stack(panels: Sequence[str], *, title: str, desc: str = "", width: int = 640, gap: int = 12) -> str:
    """Several SVG documents one above the other in one document (nested ``<svg>`` elements)."""
    heights = [_height(p) for p in panels]
    total = sum(heights) + gap * max(len(panels) - 1, 0)
    doc = Svg(width, total, title, desc)
    y = 0
    for i, (p, h) in enumerate(zip(panels, heights, strict=True)):
        # Each panel keeps its own title and description, under ids unique in the document.
        inner = (
            p.replace("<svg ", f'<svg x="0" y="{y}" ', 1)
            .replace('aria-labelledby="t d"', f'aria-labelledby="t{i} d{i}"', 1)
            .replace('<title id="t">', f'<title id="t{i}">', 1)
            .replace('<desc id="d">', f'<desc id="d{i}">', 1)
        )
        doc.raw(inner)
        y += h + gap
    return doc.render()


def _height(svg: str) -> int:
    head = svg[: svg.index(">")]
    return int(head.split('height="', 1)[1].split('"', 1)[0])


def paired_bars(
    rows: Sequence[tuple[str, float, float]],
    *,
    title: str,
    desc: str = "",
    labels: tuple[str, str] = ("a", "b"),
    highlight: Sequence[bool] | None = None,
    width: int = 640,
    value_formats: tuple[str, str] = ("{:.1f}", "{:.1f}"),
) -> str:
    """Two horizontal bars per row (e.g. observed vs expected), each labelled with its value."""
    bar_h, inner, gap, top = 11, 2, 10, 56
    left = min(260, 40 + 7 * max((len(r[0]) for r in rows), default=4))
    right = 70
    height = top + len(rows) * (2 * bar_h + inner + gap) + 16
    svg = Svg(width, height, title, desc)
    svg.text(left, 22, title, size=14, font_weight="600")
    hi = max([max(a, b) for _, a, b in rows] + [1e-9])
    span = width - left - right
    for k, (name, colour) in enumerate(zip(labels, (PALETTE[0], PALETTE[5]), strict=True)):
        x = left + k * 160
        svg.rect(x, 32, 12, 10, fill=colour)
        svg.text(x + 16, 41, name, size=11, fill=MUTED)
    for i, (label, a, b) in enumerate(rows):
        y = top + i * (2 * bar_h + inner + gap)
        flagged = highlight is not None and highlight[i]
        svg.text(
            left - 8,
            y + bar_h + 4,
            ("⚑ " if flagged else "") + label,
            text_anchor="end",
            fill=PALETTE[1] if flagged else INK,
        )
        for k, (v, colour) in enumerate(((a, PALETTE[1] if flagged else PALETTE[0]), (b, PALETTE[5]))):
            yy = y + k * (bar_h + inner)
            svg.rect(left, yy, span * max(0.0, v) / hi, bar_h, fill=colour)
            text = value_formats[k].format(v)
            svg.text(left + span * max(0.0, v) / hi + 6, yy + bar_h - 1, text, size=11, fill=MUTED)
    return svg.render()


def _top(groups: Sequence[Any], n: int = MAX_BARS) -> list[Any]:
    return sorted(groups, key=lambda g: -g.headcount)[:n]


def mobility_svg(report: Any) -> str:
    """The mobility report as pictures: promotion rate and internal fill rate by group, the hoarding signal."""
    by = report.by
    window = f"{report.since} to {report.until}"
    groups = [g for g in _top(report.groups) if g.headcount > 0]
    org = report.totals
    panels = []
    if groups:
        panels.append(
            bar_chart(
                [(g.label, g.promotion_rate or 0.0) for g in groups],
                title=f"Promotion rate by {by}",
                value_format="{:.0%}",
                desc=(
                    f"Promotions in the window divided by headcount at its start, for the {len(groups)} largest "
                    f"groups; the dashed line is the whole organisation ({(org.promotion_rate or 0):.0%})."
                ),
                threshold=org.promotion_rate,
                threshold_label=f"organisation {(org.promotion_rate or 0):.0%}",
            )
        )
    filled = [g for g in _top(report.groups) if g.internal_fill_rate is not None]
    if filled:
        panels.append(
            bar_chart(
                [
                    (f"{g.label} ({g.openings_internal}/{g.openings_closed})", g.internal_fill_rate or 0.0)
                    for g in filled
                ],
                title=f"Internal fill rate by {by} (inside / closed)",
                value_format="{:.0%}",
                max_value=1.0,
                desc="Openings closed in the window that were filled internally, divided by all closed in it.",
                threshold=org.internal_fill_rate,
                threshold_label=f"organisation {(org.internal_fill_rate or 0):.0%}",
            )
        )
    if report.hoarding:
        rows = report.hoarding[:MAX_BARS]
        panels.append(
            paired_bars(
                [(f"{h.label} (n={h.headcount})", float(h.moved), float(h.expected)) for h in rows],
                title=f"Who moved on, by {report.hoarding_by} (talent-hoarding signal)",
                labels=("moved", "expected at comparable roles' rate"),
                highlight=[h.flag for h in rows],
                value_formats=("{:.0f}", "{:.1f}"),
                desc=(
                    f"People in each group at the window's start who changed role by its end, against the "
                    f"number expected at the rate of comparable roles elsewhere; flagged groups (⚑) moved far "
                    f"less than chance allows (false-discovery rate 10%, groups of at least "
                    f"{report.min_group_size} people)."
                ),
            )
        )
    if report.bottlenecks:
        rows_b = report.bottlenecks[:MAX_BARS]
        panels.append(
            bar_chart(
                [(b.title, b.move_out_rate) for b in rows_b],
                title="Advancement deserts: share who moved on",
                value_format="{:.0%}",
                highlight=[True] * len(rows_b),
                desc="Roles whose people rarely change role and stay long in it.",
            )
        )
    if not panels:
        doc = Svg(640, 60, f"Mobility by {by}, {window}", "No mobility in this window.")
        doc.text(20, 34, f"No mobility recorded for {window}.")
        return doc.render()
    title = f"Mobility by {by}, {window}"
    summary = (
        f"{org.headcount} people at the start, {org.moves_out} moves, {org.promotions} promotions, "
        f"internal fill rate {_pct(org.internal_fill_rate)}"
    )
    head = Svg(640, 52, title, summary)
    head.text(20, 24, title, size=16, font_weight="600")
    head.text(20, 44, summary, size=12, fill=MUTED)
    return stack([head.render(), *panels], title=title, desc=f"{title}: {summary}.")


def _pct(v: float | None) -> str:
    return "n/a" if v is None else f"{v:.0%}"


def succession_svg(overview: Any) -> str:
    """Bench strength of the roles in a succession overview; at-risk roles highlighted."""
    rows = overview.items[:40]
    title = f"Succession bench strength (as of {overview.as_of})"
    return bar_chart(
        [
            (f"{'⚑ ' if r.at_risk else ''}{r.title} ({r.ready_now}/{r.ready_1y}/{r.ready_2y})", float(r.bench_strength))
            for r in rows
        ],
        title=title,
        value_format="{:.0f}",
        highlight=[r.at_risk for r in rows],
        desc=(
            "Successors ready within two years for each role (ready now / within 1 year / within 2 years in "
            "brackets); roles where no one is ready within a year are at risk: marked ⚑ and drawn in orange."
        ),
    )
