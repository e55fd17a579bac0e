"""Text tables and CSV of the programme's answers, for the CLI (``--format json`` prints the models)."""

from __future__ import annotations

import csv
import io

from engine.programme.careermap import CareerMap
from engine.programme.results import (
    Mentors,
    MobilityReport,
    OpportunityCandidates,
    OpportunityMatches,
    SuccessionOverview,
    SuccessionSlate,
    Successor,
)

__all__ = [
    "mobility_csv",
    "overview_csv",
    "render_growers",
    "render_map",
    "render_mentors",
    "render_mobility",
    "render_opportunities",
    "render_overview",
    "render_slate",
]


def _cut(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def _pct(v: float | None) -> str:
    return "-" if v is None else f"{v:.0%}"


def _num(v: float | None) -> str:
    return "-" if v is None else f"{v:g}"


def _successors(title: str, items: list[Successor], names: dict[str, str]) -> list[str]:
    lines = [f"{title}:"]
    if not items:
        return [*lines, "    nobody"]
    lines.append(
        f"  {'#':>2}  {'employee':<28} {'current role':<30} {'feeder':<6} {'cover':>5} {'hours':>6} {'months':>6}"
    )
    for n, c in enumerate(items, 1):
        role = names.get(c.current_role_id or "", c.current_role_id or "-")
        lines.append(
            f"  {n:>2}  {_cut(f'{c.display_name} ({c.employee_id})', 28):<28} {_cut(role, 30):<30} "
            f"{'yes' if c.natural_feeder else '-':<6} {c.coverage:5.0%} {c.gap_hours:6.0f} {c.est_months:6.1f}"
        )
    return lines


def render_slate(s: SuccessionSlate, role_titles: dict[str, str]) -> str:
    inc = ", ".join(s.incumbents[:6]) + (f" and {len(s.incumbents) - 6} more" if len(s.incumbents) > 6 else "")
    head = [
        f"Succession for {s.title} ({s.role_id}){' - critical role' if s.critical else ''}",
        f"Incumbents ({len(s.incumbents)}): {inc or 'none'}",
        f"Bench strength {s.bench_strength}: ready now {s.counts['ready_now']}, within 1 year "
        f"{s.counts['ready_1y']}, within 2 years {s.counts['ready_2y']}"
        + ("  ** AT RISK: no one ready within a year **" if s.at_risk else ""),
        "",
    ]
    body = [
        *_successors("Ready now", s.ready_now, role_titles),
        *_successors("Ready within 1 year", s.ready_1y, role_titles),
        *_successors("Ready within 2 years", s.ready_2y, role_titles),
    ]
    first = next((c for c in (*s.ready_now, *s.ready_1y, *s.ready_2y)), None)
    tail = ["", f"  Why {first.employee_id}: {first.why}"] if first else []
    return "\n".join([*head, *body, *tail])


def render_overview(o: SuccessionOverview) -> str:
    risky = sum(r.at_risk for r in o.items)
    lines = [
        f"Succession overview as of {o.as_of}: {len(o.items)} roles, {risky} at risk (no one ready within a year)",
        "",
        f"  {'role':<44} {'holders':>7} {'now':>4} {'1y':>4} {'2y':>4} {'bench':>5}  risk",
    ]
    for r in o.items:
        lines.append(
            f"  {_cut(f'{r.title} ({r.role_id})', 44):<44} {r.incumbents:>7} {r.ready_now:>4} {r.ready_1y:>4} "
            f"{r.ready_2y:>4} {r.bench_strength:>5}  {'AT RISK' if r.at_risk else '-'}"
        )
    return "\n".join(lines)


def overview_csv(o: SuccessionOverview) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    cols = [
        "role_id",
        "title",
        "critical",
        "incumbents",
        "ready_now",
        "ready_1y",
        "ready_2y",
        "bench_strength",
        "at_risk",
    ]
    w.writerow(cols)
    for r in o.items:
        w.writerow([getattr(r, c) for c in cols])
    return buf.getvalue().rstrip("\n")


def render_mentors(m: Mentors, who: str, role_title: str, skill_names: dict[str, str]) -> str:
    lines = [f"Mentors for {who} toward {role_title} ({m.role_id})"]
    if not m.gap_skills:
        return "\n".join([*lines, "  no gap skills for this role: nothing to mentor toward"])
    lines += [f"Gap skills: {', '.join(skill_names.get(s, s) for s in m.gap_skills)}", ""]
    if not m.items:
        return "\n".join([*lines, "  no colleague with a free mentoring place holds these skills at the needed level"])
    lines.append(f"  {'#':>2}  {'mentor':<28} {'team':<18} {'score':>5} {'places':>6}  holds")
    for n, x in enumerate(m.items, 1):
        holds = ", ".join(f"{s.name} {s.level}" for s in x.skills)
        places = f"{x.capacity - x.active_mentees}/{x.capacity}"
        lines.append(
            f"  {n:>2}  {_cut(f'{x.display_name} ({x.employee_id})', 28):<28} {_cut(x.team or '-', 18):<18} "
            f"{x.score:5.2f} {places:>6}  {_cut(holds, 60)}"
        )
    return "\n".join([*lines, "", f"  Why #1: {m.items[0].why}"])


def render_opportunities(o: OpportunityMatches, who: str, role_title: str) -> str:
    lines = [f"Opportunities for {who} toward {role_title} ({o.role_id})", ""]
    if not o.items:
        return "\n".join([*lines, "  no open opportunity closes one of the gaps for this role"])
    lines.append(f"  {'#':>2}  {'opportunity':<44} {'kind':<15} {'hours':>5} {'gap':>4} {'seats':>5}  raises")
    for n, x in enumerate(o.items, 1):
        closes = ", ".join(f"{c.name} {c.from_}->{c.to}" for c in x.closes)
        lines.append(
            f"  {n:>2}  {_cut(x.title, 44):<44} {x.kind:<15} {x.hours:5.0f} {x.score:4.0%} {x.seats_left:>5}  "
            f"{_cut(closes, 56)}"
        )
    lines += [
        "",
        "  gap = share of the gap toward the role it closes; ids: " + ", ".join(x.opportunity_id for x in o.items),
    ]
    return "\n".join([*lines, f"  Why #1: {o.items[0].why}"])


def render_growers(o: OpportunityCandidates, title: str) -> str:
    seats = f"{o.seats_left} seat{'s' if o.seats_left != 1 else ''} free" if o.seats_left else "no seat free now"
    lines = [f"People {title} ({o.opportunity_id}) would grow most ({seats})", ""]
    if not o.items:
        return "\n".join([*lines, "  nobody's role or next step needs what it teaches"])
    lines.append(f"  {'#':>2}  {'employee':<28} {'current role':<30} {'score':>5}  grows")
    for n, x in enumerate(o.items, 1):
        grows = ", ".join(f"{g.name} {g.from_}->{g.to}" for g in x.grows)
        lines.append(
            f"  {n:>2}  {_cut(f'{x.display_name} ({x.employee_id})', 28):<28} "
            f"{_cut(x.current_role_id or '-', 30):<30} {x.score:5.0%}  {_cut(grows, 60)}"
        )
    return "\n".join(lines)


_COLS = (
    "headcount",
    "moves_out",
    "promotions",
    "lateral_moves",
    "promotion_rate",
    "internal_fill_rate",
    "median_months_in_role",
)


def render_mobility(r: MobilityReport, *, as_of: object = None) -> str:
    stamp = f" (as of {as_of})" if as_of else ""
    lines = [
        f"Mobility by {r.by}, {r.since} to {r.until}{stamp}",
        "",
        f"  {'group':<30} {'headcount':>9} {'moves out':>9} {'promoted':>8} {'lateral':>7} {'promo rate':>10} "
        f"{'internal fill':>15} {'months':>6}",
    ]
    for g in [*r.groups, r.totals]:
        if g is r.totals:
            lines.append("  " + "-" * 100)
        fill = f"{_pct(g.internal_fill_rate)}" + (
            f" ({g.openings_internal}/{g.openings_closed})" if g.openings_closed else ""
        )
        lines.append(
            f"  {_cut(g.label, 30):<30} {g.headcount:>9} {g.moves_out:>9} {g.promotions:>8} {g.lateral_moves:>7} "
            f"{_pct(g.promotion_rate):>10} {fill:>15} {_num(g.median_months_in_role):>6}"
        )
    lines += [
        "",
        "  promo rate = promotions / headcount at the start; internal fill = openings filled from inside / closed;",
        "  months = median months in role before a promotion; whole organisation: moves out = every move",
        "",
    ]
    if r.bottlenecks:
        lines.append(f"Advancement deserts ({len(r.bottlenecks)}): roles people rarely leave and stay long in")
        lines += [f"  {_cut(b.title, 30):<30} {b.why}" for b in r.bottlenecks[:10]]
    else:
        lines.append("Advancement deserts: none in this window")
    lines.append("")
    flagged = [h for h in r.hoarding if h.flag]
    lines.append(
        f"Talent-hoarding signal by {r.hoarding_by} (groups of at least {r.min_group_size}; "
        f"{r.small_groups} smaller groups not judged): {len(flagged)} flagged"
    )
    for h in flagged or r.hoarding[:3]:
        lines.append(f"  {'FLAG ' if h.flag else '     '}{_cut(h.label, 30):<30} {h.why}")
    return "\n".join(lines)


def mobility_csv(r: MobilityReport) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["by", "key", "label", *_COLS, "openings_closed", "openings_internal", "since", "until"])
    for g in [*r.groups, r.totals]:
        by = r.by if g is not r.totals else "all"
        w.writerow(
            [
                by,
                g.key,
                g.label,
                *(getattr(g, c) if getattr(g, c) is not None else "" for c in _COLS),
                g.openings_closed,
                g.openings_internal,
                r.since,
                r.until,
            ]
        )
    return buf.getvalue().rstrip("\n")


def render_map(m: CareerMap) -> str:
    titles = {n.role_id: n.title for n in m.nodes}
    window = f", moves {m.since or 'ever'} to {m.until or 'now'}" if (m.since or m.until) else ""
    lines = [
        f"Career map of {m.family} ({len(m.nodes)} roles{window})",
        "",
        f"  {'level':>5}  {'track':<10} {'role':<40} {'people':>6}",
    ]
    for n in m.nodes:
        lines.append(
            f"  {n.level:>5}  {n.track or '-':<10} {_cut(n.title, 40):<40} {n.headcount:>6}"
            + ("  critical" if n.critical else "")
        )
    lines += ["", "Moves (ladder = an explicit career-ladder step; moved = people observed making it):"]
    for e in sorted(m.edges, key=lambda e: (-e.moves, e.from_role_id)):
        lines.append(
            f"  {_cut(titles[e.from_role_id], 32):<32} -> {_cut(titles[e.to_role_id], 32):<32} "
            f"{e.move:<12} {'ladder' if e.ladder else '':<6} {e.moves:>4} moved"
        )
    if m.exits:
        lines += ["", "Ways out of the family:"]
        for e in sorted(m.exits, key=lambda e: (-e.moves, e.from_role_id)):
            lines.append(
                f"  {_cut(titles[e.from_role_id], 32):<32} -> {_cut(e.to_title, 32):<32} "
                f"({e.to_family}) {'ladder' if e.ladder else '':<6} {e.moves:>4} moved"
            )
    return "\n".join(lines)
