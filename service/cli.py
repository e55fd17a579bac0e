"""The `skillgraph` command line. Thin: it builds the same engine objects as the HTTP app."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from embeddings.errors import EmbeddingsError
from engine.config import Config
from engine.errors import SkillgraphError

__all__ = ["build_parser", "main"]

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_BAD_INPUT = 2


class UsageError(SkillgraphError):
    status = 400


def _engine(args: argparse.Namespace) -> Any:
    from engine.api import Skillgraph

    return Skillgraph(Config.resolve(db=args.db, home=args.home, model=args.model))


def _print_json(obj: Any) -> None:
    print(json.dumps(obj, indent=2, default=str))


def _print_result(result: Any, detail: str) -> None:
    """A recommendation list, shortlist or routes as JSON at the requested detail (engine.compact)."""
    from engine.compact import to_json

    sys.stdout.write(to_json(result, detail, indent=True).decode() + "\n")


# -- commands ----------------------------------------------------------------------------------------
def cmd_init(args: argparse.Namespace) -> int:
    sg = _engine(args)
    sg.init()
    print(f"store ready at {sg.store.safe_url}; index dir {sg.config.home}")
    return EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    from engine.importers import import_files

    sg = _engine(args)
    sg.init()
    report = import_files(sg.store, [Path(p) for p in args.paths])
    for err in report.rejected:
        print(f"rejected {err}", file=sys.stderr)
    print(report.summary())
    return EXIT_BAD_INPUT if report.rejected else EXIT_OK


def cmd_import_onet(args: argparse.Namespace) -> int:
    from engine.importers import import_onet

    sg = _engine(args)
    sg.init()
    catalog, res = import_onet(sg.store, Path(args.dir))
    print(
        f"imported O*NET: {len(catalog.roles)} roles ({catalog.rated_roles} with requirements), "
        f"{len(catalog.skills)} skills; {res.created} new, {res.updated} updated, {res.unchanged} unchanged"
    )
    return EXIT_OK


def cmd_demo(args: argparse.Namespace) -> int:
    from engine.demo_run import run_demo

    sg = _engine(args)
    run_demo(sg, reset=args.reset, out=sys.stdout)
    return EXIT_OK


def cmd_index(args: argparse.Namespace) -> int:
    sg = _engine(args)
    sg.init()
    report = sg.build_index(progress=not args.quiet)
    print(report.summary())
    deserts = sg.bottlenecks()
    if deserts:
        shown = ", ".join(f"{b.title or b.id} ({b.out_degree})" for b in deserts[:8])
        more = f" and {len(deserts) - 8} more" if len(deserts) > 8 else ""
        print(f"advancement deserts (roles with at most one move up or across): {shown}{more}")
    return EXIT_OK


def cmd_recommend(args: argparse.Namespace) -> int:
    from engine.render import render_recommendations

    sg = _engine(args)
    recs = sg.recommend(args.employee_id, limit=args.limit, direction=args.direction,
                        include_step_down=args.include_step_down)
    if args.json:
        _print_result(recs, args.detail)
    else:
        print(render_recommendations(recs, sg.store.get_employee(args.employee_id)))
    return EXIT_OK


def cmd_route(args: argparse.Namespace) -> int:
    from engine.render import render_routes

    sg = _engine(args)
    routes = sg.routes(args.employee_id, args.role_id, alternatives=args.alternatives)
    if args.json:
        _print_result(routes, args.detail)
    else:
        print(render_routes(routes))
    return EXIT_OK


def cmd_candidates(args: argparse.Namespace) -> int:
    from engine.render import render_candidates

    sg = _engine(args)
    moves = [m for m in args.moves.split(",") if m.strip()] if args.moves else None
    result = sg.candidates(args.role_id, limit=args.limit, min_readiness=args.min_readiness,
                           include_step_down=args.include_step_down, moves=moves, cursor=args.cursor)
    if args.json:
        _print_result(result, args.detail)
    else:
        print(render_candidates(result, sg.store.get_role(args.role_id)))
    return EXIT_OK


def _resolve(kind: str) -> Callable[[argparse.Namespace], int]:
    def run(args: argparse.Namespace) -> int:
        sg = _engine(args)
        texts = [" ".join(args.text)] if args.joined else list(args.text)
        found = sg.resolve_titles(texts, k=args.k) if kind == "title" else sg.resolve_skills(texts, k=args.k)
        if args.json:
            _print_json(
                [{"text": t, "matches": [m.model_dump() for m in ms]} for t, ms in zip(texts, found, strict=True)]
            )
        else:
            for text, matches in zip(texts, found, strict=True):
                print(f"{text}:")
                for m in matches:
                    print(f"  {m.score:5.3f}  {m.id:<14} {m.name}")
        return EXIT_OK

    return run


def cmd_serve(args: argparse.Namespace) -> int:
    from service.server import serve

    config = Config.resolve(db=args.db, home=args.home, model=args.model)
    serve(config, host=args.host, port=args.port, workers=args.workers)
    return EXIT_OK


def cmd_keys(args: argparse.Namespace) -> int:
    from service.keys import KeyStore

    sg = _engine(args)
    sg.init()
    keys = KeyStore(sg.store)
    if args.keys_cmd == "create":
        key_id, secret = keys.create(args.role, employee_id=args.employee)
        print(f"created key {key_id} (role {args.role}{', employee ' + args.employee if args.employee else ''})")
        print("store it now; it is shown only once:")
        print(secret)
    elif args.keys_cmd == "list":
        for k in keys.list():
            state = f"revoked {k.revoked_at}" if k.revoked_at else "active"
            print(f"{k.id}  {k.role:<9} {k.employee_id or '-':<10} {k.created_at}  {state}")
    else:
        keys.revoke(args.key_id)
        print(f"revoked {args.key_id}")
    return EXIT_OK


def cmd_eval(args: argparse.Namespace) -> int:
    from engine import evaluation

    config = Config.resolve(db=args.db, home=args.home, model=args.model)
    if args.eval_cmd == "related":
        line = evaluation.eval_related(config, Path(args.onet), Path(args.labels), k=args.k, tier=args.tier)
    else:
        line = evaluation.eval_titles(config, Path(args.onet), Path(args.labels), k=args.k)
    print(line)
    return EXIT_OK


# -- parser ------------------------------------------------------------------------------------------
class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:  # one line, exit 2, no usage dump
        raise UsageError(f"{self.prog}: {message}")


def _positive(v: str) -> int:
    n = int(v)
    if n < 1 or n > 1000:
        raise argparse.ArgumentTypeError(f"must be between 1 and 1000, got {v}")
    return n


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="skillgraph", description="Skills-graph recommendations for internal mobility.")
    p.add_argument("--db", help="store URL (env SKILLGRAPH_DATABASE_URL; default sqlite:///./skillgraph.db)")
    p.add_argument("--home", help="index/data directory (env SKILLGRAPH_HOME; default ./.skillgraph)")
    p.add_argument("--model", help="embedding model directory (env SKILLGRAPH_MODEL; default bundled MiniLM)")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)

    s = sub.add_parser("init", help="create the store and the index directory")
    s.set_defaults(func=cmd_init)
    s = sub.add_parser("import", help="import .json / .ndjson / .csv records")
    s.add_argument("paths", nargs="+", metavar="PATH")
    s.set_defaults(func=cmd_import)
    s = sub.add_parser("import-onet", help="import an O*NET database text directory as skills and roles")
    s.add_argument("dir", metavar="DIR")
    s.set_defaults(func=cmd_import_onet)
    s = sub.add_parser("demo", help="load the demo organisation and show recommendations")
    s.add_argument("--reset", action="store_true", help="reload the demo organisation from scratch")
    s.set_defaults(func=cmd_demo)
    s = sub.add_parser("index", help="build / refresh embeddings, indexes and the role graph (incremental)")
    s.add_argument("--quiet", action="store_true", help="no progress bar")
    s.set_defaults(func=cmd_index)

    s = sub.add_parser("recommend", help="next roles for an employee")
    s.add_argument("employee_id", metavar="EMPLOYEE_ID")
    s.add_argument("--limit", type=_positive, default=10)
    s.add_argument("--direction", choices=["up", "lateral", "any"], default="any")
    s.add_argument("--include-step-down", action="store_true", help="also offer roles at a lower level")
    s.add_argument("--json", action="store_true")
    s.add_argument("--detail", choices=["compact", "full"], default="compact",
                   help="--json answer: compact (top gaps, best learning item; default) or full")
    s.set_defaults(func=cmd_recommend)
    s = sub.add_parser("route", help="cheapest upskilling route from an employee's role to a target role")
    s.add_argument("employee_id", metavar="EMPLOYEE_ID")
    s.add_argument("role_id", metavar="ROLE_ID")
    s.add_argument("--alternatives", type=int, default=3)
    s.add_argument("--json", action="store_true")
    s.add_argument("--detail", choices=["compact", "full"], default="compact",
                   help="--json answer: compact (top gaps, best learning item; default) or full")
    s.set_defaults(func=cmd_route)
    s = sub.add_parser("candidates", help="internal candidate shortlist for a role")
    s.add_argument("role_id", metavar="ROLE_ID")
    s.add_argument("--limit", type=_positive, default=20)
    s.add_argument("--min-readiness", choices=["ready_now", "ready_soon", "stretch", "long_term"])
    s.add_argument("--include-step-down", action="store_true",
                   help="also list people for whom the role is a step down (after the rest)")
    s.add_argument("--moves", help="comma-separated move kinds to keep (promotion,lateral,cross_family,...)")
    s.add_argument("--cursor", help="next_cursor printed by the previous page (with --json)")
    s.add_argument("--json", action="store_true")
    s.add_argument("--detail", choices=["compact", "full"], default="compact",
                   help="--json answer: compact (top gaps, best learning item; default) or full")
    s.set_defaults(func=cmd_candidates)
    for name, kind in (("resolve-title", "title"), ("resolve-skill", "skill")):
        s = sub.add_parser(name, help=f"free text -> {'roles' if kind == 'title' else 'skills'} with scores")
        s.add_argument("text", nargs="+", metavar="TEXT")
        s.add_argument("--k", type=_positive, default=5)
        s.add_argument("--joined", action="store_true", help="treat all words as one text")
        s.add_argument("--json", action="store_true")
        s.set_defaults(func=_resolve(kind))

    s = sub.add_parser("serve", help="run the HTTP API")
    s.add_argument("--host", default="127.0.0.1")
    s.add_argument("--port", type=int, default=8000)
    s.add_argument("--workers", type=int, default=1)
    s.set_defaults(func=cmd_serve)

    s = sub.add_parser("keys", help="API keys")
    ks = s.add_subparsers(dest="keys_cmd", required=True, parser_class=_Parser)
    k = ks.add_parser("create")
    k.add_argument("--role", required=True, choices=["admin", "hr", "recruiter", "employee", "auditor"])
    k.add_argument("--employee", help="employee id (required for role employee)")
    ks.add_parser("list")
    k = ks.add_parser("revoke")
    k.add_argument("key_id", metavar="KEY_ID")
    s.set_defaults(func=cmd_keys)

    s = sub.add_parser("eval", help="quality evaluations on O*NET")
    es = s.add_subparsers(dest="eval_cmd", required=True, parser_class=_Parser)
    e = es.add_parser("related", help="next-role quality against O*NET related occupations")
    e.add_argument("--onet", required=True, metavar="DIR")
    e.add_argument("--labels", required=True, metavar="FILE")
    e.add_argument("--k", type=_positive, default=10)
    e.add_argument("--tier", default="Primary-Short")
    e = es.add_parser("titles", help="title resolution accuracy against O*NET alternate titles")
    e.add_argument("--onet", required=True, metavar="DIR")
    e.add_argument("--labels", required=True, metavar="FILE")
    e.add_argument("--k", type=_positive, default=5)
    s.set_defaults(func=cmd_eval)

    from service import cli_audit, cli_programme

    cli_programme.register(sub)
    cli_audit.register(sub)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    # The bundled model is local: never reach for a hub.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    try:
        args = build_parser().parse_args(argv)
        from engine.audit import Actor, acting

        with acting(Actor(key_id="cli", role="cli", endpoint=f"cli {args.command}")):  # for the decision log
            return int(args.func(args))
    except (SkillgraphError, EmbeddingsError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except (OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
