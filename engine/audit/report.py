"""Audit output for people: a terminal table, CSV for auditors, and a printable HTML report."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from html import escape
from typing import TYPE_CHECKING, Any

from engine.audit.clock import now_stamp
from engine.audit.groups import CATEGORIES
from engine.audit.impact import FOUR_FIFTHS, SMALL_SHARE
from engine.audit.impact_audit import AUDIT_KINDS, DEFINITIONS
from engine.charts.audit import impact_chart, promotion_chart

if TYPE_CHECKING:
    from engine.audit.facade import Audit

__all__ = ["disparity_csv", "disparity_text", "html_report", "impact_csv", "impact_text"]

IMPACT_COLUMNS = ("group", "pool", "selected", "selection_rate", "impact_ratio", "flag", "small", "p_value")
DISPARITY_COLUMNS = ("family", "group", "headcount", "promotions", "promotion_rate", "promotion_ratio", "flag",
                     "p_value", "lateral_moves", "lateral_rate", "median_months_to_promotion",
                     "median_months_in_role", "suppressed")


def _fmt(v: Any) -> str:
    if v is None:
        return "-"
    if isinstance(v, bool):
        return "yes" if v else ""
    if isinstance(v, float):
        return f"{v:.3f}"
    return str(v)


def _p(v: float | None) -> str:
    return "-" if v is None else "<0.001" if v < 0.001 else f"{v:.3f}"


def _category(category: str) -> str:
    return {"race_ethnicity": "race/ethnicity", "intersectional": "sex × race/ethnicity"}.get(category, category)


def _window(rep: dict[str, Any]) -> str:
    return f"{rep.get('since') or 'start of log'} .. {rep.get('until') or 'now'}"


def impact_text(rep: dict[str, Any]) -> str:
    what = f"{rep['kind']}s for {rep['role_id']}" if rep.get("role_id") else rep["kind"]
    head = (f"Impact audit: {what} by {rep['category']}, {_window(rep)}; {rep['decisions']} logged answers, "
            f"pool {rep['pool_total']} ({rep['unknown']} unknown)")
    lines = [head, ""]
    width = max([len("group"), *(len(r["group"]) for r in rep["rows"])]) + 2
    lines.append(f"  {'group':<{width}} {'pool':>6} {'selected':>9} {'rate':>7} {'ratio':>7} {'p':>7}  flag")
    for r in rep["rows"]:
        mark = " *" if r.get("small") else ""
        lines.append(f"  {r['group'] + mark:<{width}} {r['pool']:>6} {r['selected']:>9} "
                     f"{_fmt(r['selection_rate']):>7} {_fmt(r['impact_ratio']):>7} {_p(r.get('p_value')):>7}  "
                     f"{'FLAG' if r['flag'] else ''}")
    if rep["small_groups"]:
        lines.append(f"  * under {SMALL_SHARE:.0%} of the pool (reported, not used as the reference group)")
    after = rep.get("after_overrides")
    if after is not None and rep.get("overrides", {}).get("total"):
        lines += ["", f"After {rep['overrides']['total']} human overrides:"]
        lines += [f"  {r['group']:<{width}} {r['pool']:>6} {r['selected']:>9} {_fmt(r['selection_rate']):>7} "
                  f"{_fmt(r['impact_ratio']):>7}  {'FLAG' if r['flag'] else ''}" for r in after["rows"]]
        lines += [f"  overrides for {o['group']}: {o['add']} added, {o['remove']} removed, {o['reorder']} moved"
                  for o in rep["overrides"]["rows"]]
    if not rep["rows"]:
        lines.append("  (no assessed people with a known category in the window)")
    return "\n".join(lines)


def impact_csv(reports: Sequence[dict[str, Any]]) -> str:
    """One row per (kind, category, stage, group); ``unknown`` rows carry the count LL144 asks for."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["kind", "category", "since", "until", "stage", *IMPACT_COLUMNS, "decisions"])
    for rep in reports:
        stages = [("engine", rep)]
        if rep.get("after_overrides") is not None:
            stages.append(("after_overrides", rep["after_overrides"]))
        for stage, table in stages:
            for r in table["rows"]:
                w.writerow([rep["kind"], rep["category"], rep["since"] or "", rep["until"] or "", stage,
                            *("" if r[c] is None else r[c] for c in IMPACT_COLUMNS), rep["decisions"]])
            w.writerow([rep["kind"], rep["category"], rep["since"] or "", rep["until"] or "", stage, "unknown",
                        table["unknown"], "", "", "", "", "", "", rep["decisions"]])
    return buf.getvalue()


def disparity_text(rep: dict[str, Any]) -> str:
    t = rep["totals"]
    lines = [f"Advancement by {rep['category']}, {rep['since']} .. {rep['until']}: {t['promotions']} promotions, "
             f"{t['lateral_moves']} lateral moves, headcount {t['headcount']} ({t['unknown_people']} unknown); "
             f"groups under {rep['min_group']} people suppressed", ""]

    def block(title: str, rows: list[dict[str, Any]]) -> None:
        width = max([len("group"), *(len(r["group"]) for r in rows)]) + 2
        lines.append(title)
        lines.append(f"  {'group':<{width}} {'heads':>6} {'promo':>6} {'rate':>7} {'ratio':>7} {'p':>7} {'lateral':>8} "
                     f"{'mo->promo':>9} {'mo in role':>10}")
        for r in rows:
            if r["suppressed"]:
                lines.append(f"  {r['group']:<{width}} (suppressed: fewer than {rep['min_group']} people)")
                continue
            lines.append(f"  {r['group']:<{width}} {r['headcount']:>6} {r['promotions']:>6} "
                         f"{_fmt(r['promotion_rate']):>7} {_fmt(r['promotion_ratio']):>7} {_p(r['p_value']):>7} "
                         f"{r['lateral_moves']:>8} "
                         f"{_fmt(r['median_months_to_promotion']):>9} {_fmt(r['median_months_in_role']):>10}"
                         f"{'  FLAG' if r['flag'] else ''}")

    block("All families", rep["groups"])
    for fam in rep["by_family"]:
        lines.append("")
        block(fam["family"], fam["groups"])
    return "\n".join(lines)


def disparity_csv(rep: dict[str, Any]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["category", "since", "until", *DISPARITY_COLUMNS])
    blocks = [("*", rep["groups"])] + [(f["family"], f["groups"]) for f in rep["by_family"]]
    for fam, rows in blocks:
        for r in rows:
            w.writerow([rep["category"], rep["since"], rep["until"], fam,
                        *("" if r[c] is None else r[c] for c in DISPARITY_COLUMNS[1:])])
    return buf.getvalue()


# -- HTML ------------------------------------------------------------------------------------------
CSS = """
body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#1f2328;max-width:60rem;margin:2rem auto;
padding:0 1rem}h1{font-size:1.6rem}h2{font-size:1.25rem;margin-top:2rem;border-bottom:1px solid #d0d7de}
h3{font-size:1.05rem}table{border-collapse:collapse;margin:.5rem 0 1rem}th,td{padding:.25rem .6rem;
border-bottom:1px solid #d0d7de;text-align:right}th:first-child,td:first-child{text-align:left}
.flag{color:#b35000;font-weight:600;white-space:nowrap}.muted{color:#6e7781}
dl{display:grid;grid-template-columns:10rem 1fr;gap:.2rem 1rem}
dt{font-weight:600}section{break-inside:avoid}@media print{body{margin:0;max-width:none}h2{break-before:auto}
a{color:inherit;text-decoration:none}}
"""


def _impact_html(rep: dict[str, Any]) -> str:
    rows = "".join(
        f"<tr><td>{escape(r['group'])}{' *' if r['small'] else ''}</td><td>{r['pool']}</td><td>{r['selected']}</td>"
        f"<td>{_fmt(r['selection_rate'])}</td><td>{_fmt(r['impact_ratio'])}</td><td>{_p(r.get('p_value'))}</td>"
        f"<td class=\"flag\">{'below 0.8' if r['flag'] else ''}</td></tr>"
        for r in rep["rows"]
    )
    title = f"{rep['kind'].capitalize()} impact ratios by {_category(rep['category'])}"
    if not rep["rows"]:
        return (f"<section><h3>{escape(title)}</h3><p class=\"muted\">No logged answers with a known category in "
                f"the window ({rep['decisions']} logged, {rep['unknown']} unknown).</p></section>")
    chart = impact_chart(rep["rows"], title=title)
    small = (f"<p class=\"muted\">* under {SMALL_SHARE:.0%} of the pool: {escape(', '.join(rep['small_groups']))}"
             "</p>" if rep["small_groups"] else "")
    return (
        f"<section><h3>{escape(title)}</h3><p>{rep['decisions']} logged answers; pool {rep['pool_total']}, "
        f"of whom {rep['unknown']} with an unknown category (not in the rates).</p>"
        "<table><thead><tr><th>group</th><th>pool</th><th>selected</th><th>selection rate</th>"
        f"<th>impact ratio</th><th>p</th><th>flag</th></tr></thead><tbody>{rows}</tbody></table>{small}"
        f"<figure>{chart}</figure></section>"
    )


def html_report(audit: Audit, *, since: str | None = None, until: str | None = None) -> str:
    """A self-contained page (no scripts, no external assets) that prints cleanly to PDF."""
    parts = []
    for kind in AUDIT_KINDS:
        d = DEFINITIONS[kind]
        defs = "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in d.items())
        parts.append(f"<h2>{kind.capitalize()}s</h2><dl>{defs}</dl>")
        for category in CATEGORIES:
            rep = audit.impact(kind=kind, category=category, since=since, until=until)
            parts.append(_impact_html(rep))
            if kind == "shortlist" and rep["overrides"]["total"]:
                after = {**rep, **rep["after_overrides"], "kind": "shortlist after overrides"}
                parts.append(_impact_html(after))
    parts.append("<h2>Advancement</h2>")
    for category in ("sex", "race_ethnicity"):
        dis = audit.disparities(category=category)
        rows = "".join(
            f"<tr><td>{escape(r['group'])}</td>" + (
                f"<td colspan=\"8\" class=\"muted\">suppressed (fewer than {dis['min_group']} people)</td></tr>"
                if r["suppressed"] else
                f"<td>{r['headcount']}</td><td>{r['promotions']}</td><td>{_fmt(r['promotion_rate'])}</td>"
                f"<td>{_fmt(r['promotion_ratio'])}</td><td>{_p(r['p_value'])}</td>"
                f"<td class=\"flag\">{'below 0.8' if r['flag'] else ''}</td><td>{r['lateral_moves']}</td>"
                f"<td>{_fmt(r['median_months_to_promotion'])}</td></tr>")
            for r in dis["groups"]
        )
        chart_title = f"Promotion rate by {_category(category)}"
        title = f"{chart_title}, {dis['since']} to {dis['until']}"
        parts.append(
            f"<section><h3>{escape(title)}</h3><table><thead><tr><th>group</th><th>headcount</th><th>promotions</th>"
            "<th>promotion rate</th><th>ratio</th><th>p</th><th>flag</th><th>lateral moves</th>"
            "<th>months to promotion</th></tr></thead><tbody>"
            f"{rows}</tbody></table><figure>{promotion_chart(dis['groups'], title=chart_title)}</figure></section>"
        )
    window = f"{since or 'start of the log'} to {until or 'now'}"
    return (
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
        f"<title>skillgraph bias audit, {escape(window)}</title><style>{CSS}</style></head><body>"
        f"<h1>Bias audit: internal mobility recommendations and shortlists</h1>"
        f"<p>Window: {escape(window)}; generated {escape(now_stamp())}. Method: NYC Local Law 144 (selection rate; "
        f"impact ratio = a group's rate ÷ the most selected group's rate; flagged below {FOUR_FIFTHS}). Computed "
        "from the decision log joined with protected attributes at audit time; scoring never reads them. "
        "p: two-sided test of a group's rate against the most selected group's (pooled z-test, Rao–Scott "
        "adjusted for people assessed many times); a flag with a large p is within chance.</p>"
        + "".join(parts) + "</body></html>"
    )
