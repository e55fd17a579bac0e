"""CLI commands of the mobility programme: succession, mentors, opportunities, reports, career maps.

    skillgraph succession [ROLE_ID] [--all] [--limit 5] [--format table|csv|json] [--plot FILE]
    skillgraph mentors EMPLOYEE_ID [--role ROLE_ID] [--limit 5] [--format table|json]
    skillgraph opportunities EMPLOYEE_ID [--role ROLE_ID] | --opportunity ID  [--limit] [--format table|json]
    skillgraph report mobility [--since D] [--until D] [--by family|role|team|manager]
                               [--min-group N] [--format table|csv|json] [--plot FILE]
    skillgraph map FAMILY [--since D] [--until D] [--format table|json] [--plot FILE]

``--plot FILE`` writes an SVG picture (engine.charts); PNG is refused with a clear error.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from pathlib import Path
from typing import Any

__all__ = ["register"]

EXIT_OK = 0


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date YYYY-MM-DD, got {value!r}") from None


def _limit(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {value!r}") from None
    if not 1 <= n <= 100:
        raise argparse.ArgumentTypeError(f"must be between 1 and 100, got {value}")
    return n


def _engine(args: argparse.Namespace) -> Any:
    from service import cli  # the CLI's own factory (tests swap it for one with a preloaded model)

    return cli._engine(args)


def _usage(message: str) -> Exception:
    from service.cli import UsageError

    return UsageError(message)


def _plot_path(path: str | None) -> Path | None:
    if path is None:
        return None
    p = Path(path)
    if p.suffix.lower() != ".svg":
        raise _usage(f"--plot {path}: pictures are written as SVG; give a file name ending in .svg")
    return p


def _write_plot(path: Path | None, svg: str) -> None:
    if path is None:
        return
    path.write_text(svg, encoding="utf-8")
    print(f"wrote {path}")


def _emit(model: Any, fmt: str, table: Any, csv_text: Any = None) -> None:
    if fmt == "json":
        print(json.dumps(model.model_dump(mode="json"), indent=2))
    elif fmt == "csv":
        if csv_text is None:
            raise _usage("--format csv is available for 'succession' without a role and 'report mobility'")
        print(csv_text())
    else:
        print(table())


def _fmt(args: argparse.Namespace) -> str:
    return "json" if getattr(args, "json", False) else args.format


# -- commands ----------------------------------------------------------------------------------------
def cmd_succession(args: argparse.Namespace) -> int:
    from engine.programme import render

    plot = _plot_path(args.plot)
    sg = _engine(args)
    fmt = _fmt(args)
    if args.role_id:
        if plot is not None:
            raise _usage("--plot draws the overview of several roles: leave ROLE_ID out")
        s = sg.programme.succession(args.role_id, limit=args.limit)
        titles = {r.id: r.title for r in sg.store.all("role")}
        _emit(s, fmt, lambda: render.render_slate(s, titles))
        return EXIT_OK
    o = sg.programme.succession_overview(critical=not args.all)
    _emit(o, fmt, lambda: render.render_overview(o), lambda: render.overview_csv(o))
    if plot is not None:
        from engine.charts.mobility import succession_svg

        _write_plot(plot, succession_svg(o))
    return EXIT_OK


def cmd_mentors(args: argparse.Namespace) -> int:
    from engine.programme import render

    sg = _engine(args)
    m = sg.programme.mentors(args.employee_id, args.role, limit=args.limit)
    store = sg.store
    emp, role = store.get_employee(args.employee_id), store.get_role(m.role_id)
    names = {s.id: s.name for s in store.load("skill", m.gap_skills)}
    _emit(m, _fmt(args), lambda: render.render_mentors(m, f"{emp.display_name} ({emp.id})", role.title, names))
    return EXIT_OK


def cmd_opportunities(args: argparse.Namespace) -> int:
    from engine.programme import render

    if bool(args.employee_id) == bool(args.opportunity):
        raise _usage("give EMPLOYEE_ID (opportunities for a person) or --opportunity ID (people for it), not both")
    sg = _engine(args)
    if args.opportunity:
        if args.role:
            raise _usage("--role is for a person's opportunities, not with --opportunity")
        res = sg.programme.opportunity_candidates(args.opportunity, limit=args.limit)
        title = sg.store.get("opportunity", args.opportunity).title
        _emit(res, _fmt(args), lambda: render.render_growers(res, title))
        return EXIT_OK
    o = sg.programme.opportunities(args.employee_id, args.role, limit=args.limit)
    emp, role = sg.store.get_employee(args.employee_id), sg.store.get_role(o.role_id)
    _emit(o, _fmt(args), lambda: render.render_opportunities(o, f"{emp.display_name} ({emp.id})", role.title))
    return EXIT_OK


def cmd_report(args: argparse.Namespace) -> int:
    from engine.programme import render

    plot = _plot_path(args.plot)
    sg = _engine(args)
    sg.init()
    r = sg.programme.mobility(since=args.since, until=args.until, by=args.by, min_group_size=args.min_group)
    as_of = sg.programme.as_of()
    _emit(r, args.format, lambda: render.render_mobility(r, as_of=as_of), lambda: render.mobility_csv(r))
    if plot is not None:
        from engine.charts.mobility import mobility_svg

        _write_plot(plot, mobility_svg(r))
    return EXIT_OK


def cmd_map(args: argparse.Namespace) -> int:
    from engine.programme import render

    plot = _plot_path(args.plot)
    sg = _engine(args)
    sg.init()
    m = sg.programme.career_map(args.family, since=args.since, until=args.until)
    _emit(m, args.format, lambda: render.render_map(m))
    if plot is not None:
        try:
            from engine.charts.career_map import career_map_svg, family_roles  # type: ignore[import-not-found]
        except ImportError:
            raise _usage(
                "--plot: the career-map picture (engine/charts/career_map.py) is not in this build yet; "
                "use --format json for the map's data"
            ) from None
        G = sg.state().graph.G
        _write_plot(plot, career_map_svg(G, roles=family_roles(G, args.family), title=f"Career map of {args.family}"))
    return EXIT_OK


# -- parser ------------------------------------------------------------------------------------------
def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add this module's subcommands to the `skillgraph` parser."""
    s = sub.add_parser("succession", help="succession slate for a role, or bench strength of the critical roles")
    s.add_argument("role_id", metavar="ROLE_ID", nargs="?")
    s.add_argument("--all", action="store_true", help="every role, not only the critical ones (overview)")
    s.add_argument("--limit", type=_limit, default=5, help="people per readiness bucket")
    s.add_argument("--format", choices=["table", "csv", "json"], default="table")
    s.add_argument("--json", action="store_true", help="same as --format json")
    s.add_argument("--plot", metavar="FILE.svg", help="draw the overview's bench strength")
    s.set_defaults(func=cmd_succession)

    s = sub.add_parser("mentors", help="colleagues who could mentor a person toward a role")
    s.add_argument("employee_id", metavar="EMPLOYEE_ID")
    s.add_argument("--role", metavar="ROLE_ID", help="target role (default: their top next role)")
    s.add_argument("--limit", type=_limit, default=5)
    s.add_argument("--format", choices=["table", "json"], default="table")
    s.add_argument("--json", action="store_true", help="same as --format json")
    s.set_defaults(func=cmd_mentors)

    s = sub.add_parser("opportunities", help="gigs, stretch projects and rotations for a person (or people for one)")
    s.add_argument("employee_id", metavar="EMPLOYEE_ID", nargs="?")
    s.add_argument("--role", metavar="ROLE_ID", help="target role (default: their top next role)")
    s.add_argument("--opportunity", metavar="ID", help="rank people this opportunity would grow most")
    s.add_argument("--limit", type=_limit, default=5)
    s.add_argument("--format", choices=["table", "json"], default="table")
    s.add_argument("--json", action="store_true", help="same as --format json")
    s.set_defaults(func=cmd_opportunities)

    s = sub.add_parser("report", help="programme reports")
    from service.cli import _Parser

    rs = s.add_subparsers(dest="report_cmd", required=True, parser_class=_Parser)
    r = rs.add_parser("mobility", help="headcount, moves, promotions, fill rate, deserts, hoarding signal")
    r.add_argument("--since", type=_date, help="window start (default: a year before --until)")
    r.add_argument("--until", type=_date, help="window end (default: the as-of date, normally today)")
    r.add_argument("--by", choices=["family", "role", "team", "manager"], default="family")
    r.add_argument("--min-group", type=_limit, default=8, help="smallest group the hoarding signal judges")
    r.add_argument("--format", choices=["table", "csv", "json"], default="table")
    r.add_argument("--plot", metavar="FILE.svg", help="draw the report's charts")
    s.set_defaults(func=cmd_report)

    s = sub.add_parser("map", help="career map of a family: ladders, tracks, observed moves with counts")
    s.add_argument("family", metavar="FAMILY")
    s.add_argument("--since", type=_date, help="count moves from this date")
    s.add_argument("--until", type=_date, help="count moves up to this date")
    s.add_argument("--format", choices=["table", "json"], default="table")
    s.add_argument("--plot", metavar="FILE.svg", help="draw the map")
    s.set_defaults(func=cmd_map)
