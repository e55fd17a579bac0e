"""CLI commands of the audit: impact ratios, the decision log, disparities, overrides, retention."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

__all__ = ["register"]


def _engine(args: argparse.Namespace) -> Any:
    from service.cli import _engine as build

    return build(args).init()


def _print_json(obj: Any) -> None:
    print(json.dumps(obj, indent=2, default=str))


def cmd_impact(args: argparse.Namespace) -> int:
    from engine.audit.report import impact_csv, impact_text

    rep = _engine(args).audit.impact(kind=args.kind, category=args.category, since=args.since, until=args.until,
                                     role_id=args.role)
    if args.format == "json":
        _print_json(rep)
    elif args.format == "csv":
        print(impact_csv([rep]), end="")
    else:
        print(impact_text(rep))
    return 0


def cmd_disparities(args: argparse.Namespace) -> int:
    from engine.audit.report import disparity_csv, disparity_text

    rep = _engine(args).audit.disparities(category=args.category, since=args.since, until=args.until,
                                          min_group=args.min_group)
    if args.format == "json":
        _print_json(rep)
    elif args.format == "csv":
        print(disparity_csv(rep), end="")
    else:
        print(disparity_text(rep))
    return 0


def cmd_decisions(args: argparse.Namespace) -> int:
    items, nxt = _engine(args).audit.decisions(since=args.since, until=args.until, kind=args.kind,
                                               after=args.after, limit=args.limit)
    if args.json:
        _print_json({"items": items, "next_after": nxt})
        return 0
    for d in items:
        top = ", ".join(f"{i['id']} {i['score']:.2f}" for i in d["returned"][:3])
        more = f" +{len(d['returned']) - 3}" if len(d["returned"]) > 3 else ""
        print(f"{d['id']:>6}  {d['at'][:19]}  {d['kind']:<14} {d['key_id'] or '-':<12} {d['endpoint']:<44} "
              f"{d['subject']['id'] or '(profile)':<24} pool {d['pool_size']:<5} -> {top}{more}")
    if nxt is not None:
        print(f"more: --after {nxt}")
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from engine.audit.groups import CATEGORIES
    from engine.audit.impact_audit import AUDIT_KINDS
    from engine.audit.report import html_report, impact_csv

    sg = _engine(args)
    if not args.html and not args.csv:
        raise ValueError("say where to write the report: --html FILE and/or --csv FILE")
    if args.html:
        Path(args.html).write_text(html_report(sg.audit, since=args.since, until=args.until), encoding="utf-8")
        print(f"wrote {args.html}")
    if args.csv:
        reps = [sg.audit.impact(kind=k, category=c, since=args.since, until=args.until)
                for k in AUDIT_KINDS for c in CATEGORIES]
        Path(args.csv).write_text(impact_csv(reps), encoding="utf-8")
        print(f"wrote {args.csv}")
    return 0


def cmd_protected(args: argparse.Namespace) -> int:
    rec = _engine(args).audit.protected(args.employee_id)
    if args.json:
        _print_json(rec)
    else:
        print("  ".join(f"{k}={v if v is not None else '-'}" for k, v in rec.items()))
    return 0


def cmd_purge(args: argparse.Namespace) -> int:
    out = _engine(args).audit.purge(args.days)
    print(f"deleted {out['decisions']} decisions, {out['overrides']} overrides, "
          f"{out['protected_reads']} protected-attribute reads logged before {out['before']}")
    return 0


def cmd_overrides(args: argparse.Namespace) -> int:
    view = _engine(args).audit.overrides(args.role)
    if args.json:
        _print_json(view)
        return 0
    for o in view["items"]:
        pos = f" to #{o['position']}" if o["position"] else ""
        print(f"{o['id']:>5}  {o['at'][:19]}  {o['role_id']:<28} decision {o['decision_id']:<6} {o['action']:<7} "
              f"{o['employee_id']}{pos}  by {o['key_id'] or '-'}: {o['reason']}")
    if view["list"] is not None:
        print(f"shortlist {view['decision_id']} as overridden: {', '.join(view['list']) or '(empty)'}")
    return 0


def cmd_override(args: argparse.Namespace) -> int:
    out = _engine(args).audit.record_override(args.role_id, action=args.action, employee_id=args.employee_id,
                                              reason=args.reason, position=args.position, decision_id=args.decision)
    print(f"override {out['id']} recorded on shortlist {out['decision_id']}: {out['action']} {out['employee_id']}")
    print(f"list now: {', '.join(out['list']) or '(empty)'}")
    return 0


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add this module's subcommands to the `skillgraph` parser."""
    parser_class = sub._parser_class  # the caller's parser: one-line errors, exit 2

    def window(p: argparse.ArgumentParser) -> None:
        p.add_argument("--since", metavar="D", help="from this date or date-time (inclusive)")
        p.add_argument("--until", metavar="D", help="up to this date (the whole day) or date-time (exclusive)")

    s = sub.add_parser("audit", help="bias audit: impact ratios, decision log, disparities (admin/auditor)")
    a = s.add_subparsers(dest="audit_cmd", required=True, parser_class=parser_class)

    p = a.add_parser("impact", help="LL144 selection rates and impact ratios from the decision log")
    p.add_argument("--kind", required=True, choices=["shortlist", "recommendation"])
    p.add_argument("--category", required=True, choices=["sex", "race_ethnicity", "intersectional"])
    p.add_argument("--role", metavar="ROLE_ID", help="shortlists of this role only")
    window(p)
    p.add_argument("--format", choices=["table", "csv", "json"], default="table")
    p.set_defaults(func=cmd_impact)

    p = a.add_parser("disparities", help="promotion and lateral-move rates by group and family")
    p.add_argument("--category", required=True, choices=["sex", "race_ethnicity", "intersectional"])
    window(p)
    p.add_argument("--min-group", type=int, default=None, help="suppress groups smaller than this (default 10)")
    p.add_argument("--format", choices=["table", "csv", "json"], default="table")
    p.set_defaults(func=cmd_disparities)

    p = a.add_parser("decisions", help="the decision log, oldest first")
    window(p)
    p.add_argument("--kind", choices=["recommendation", "shortlist", "succession"])
    p.add_argument("--limit", type=int, default=50)
    p.add_argument("--after", type=int, default=None, help="continue after this decision id")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_decisions)

    p = a.add_parser("report", help="the printable HTML report (with charts) and/or every impact table as CSV")
    p.add_argument("--html", metavar="FILE")
    p.add_argument("--csv", metavar="FILE")
    window(p)
    p.set_defaults(func=cmd_report)

    p = a.add_parser("protected", help="one employee's protected attributes (the read is logged)")
    p.add_argument("employee_id", metavar="EMPLOYEE_ID")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_protected)

    p = a.add_parser("purge", help="delete audit rows older than the retention period")
    p.add_argument("--days", type=int, default=None, help="default: SKILLGRAPH_DECISION_RETENTION_DAYS")
    p.set_defaults(func=cmd_purge)

    p = a.add_parser("overrides", help="recorded shortlist overrides")
    p.add_argument("--role", metavar="ROLE_ID")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_overrides)

    s = sub.add_parser("override", help="record a human override of a role's shortlist (with a reason)")
    s.add_argument("role_id", metavar="ROLE_ID")
    s.add_argument("action", choices=["add", "remove", "reorder"])
    s.add_argument("employee_id", metavar="EMPLOYEE_ID")
    s.add_argument("--reason", required=True)
    s.add_argument("--position", type=int, default=None, help="1-based place on the list (add, reorder)")
    s.add_argument("--decision", type=int, default=None, help="the shortlist decision id (default: the latest)")
    s.set_defaults(func=cmd_override)
