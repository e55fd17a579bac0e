"""Quality evaluations against O*NET labels.

The labels are answers: only this module reads them, after the engine has been built from the
catalog alone, and nothing read here is written to the store or the indexes.
"""

from __future__ import annotations

import csv
import math
import tempfile
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from engine.api import Skillgraph
from engine.config import Config
from engine.errors import InvalidInput
from engine.importers.onet import import_onet
from engine.models import Employee, EmployeeSkill

__all__ = ["eval_related", "eval_titles", "ndcg_at_k", "read_related", "read_titles"]

EVAL_PREFIX = "eval-"


def _rows(path: Path, required: tuple[str, ...]) -> list[dict[str, str]]:
    if not path.exists():
        raise InvalidInput(f"{path}: label file not found")
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
        missing = [c for c in required if c not in (reader.fieldnames or [])]
        if missing:
            raise InvalidInput(f"{path}:1: missing column(s) {', '.join(missing)}")
        return list(reader)


def read_related(path: Path, tier: str) -> dict[str, set[str]]:
    truth: dict[str, set[str]] = defaultdict(set)
    for r in _rows(path, ("O*NET-SOC Code", "Related O*NET-SOC Code", "Relatedness Tier")):
        if r["Relatedness Tier"] == tier:
            truth[r["O*NET-SOC Code"]].add(r["Related O*NET-SOC Code"])
    if not truth:
        raise InvalidInput(f"{path}: no rows of tier {tier!r}")
    return dict(truth)


def read_titles(path: Path) -> list[tuple[str, str]]:
    return [(r["Alternate Title"], r["O*NET-SOC Code"]) for r in _rows(path, ("O*NET-SOC Code", "Alternate Title"))]


def ndcg_at_k(ranked: list[str], relevant: set[str], k: int) -> float:
    dcg = sum(1.0 / math.log2(i + 2) for i, r in enumerate(ranked[:k]) if r in relevant)
    ideal = sum(1.0 / math.log2(i + 2) for i in range(min(len(relevant), k)))
    return dcg / ideal if ideal else 0.0


def _engine(config: Config, tmp: Path, onet: Path, encoder: Any | None) -> Skillgraph:
    cfg = Config(db_url=f"sqlite:///{tmp / 'eval.db'}", home=tmp / "home", model=config.model)
    sg = Skillgraph(cfg, encoder=encoder).init()
    import_onet(sg.store, onet)
    return sg


def eval_related(
    config: Config,
    onet: Path,
    labels: Path,
    *,
    k: int = 10,
    tier: str = "Primary-Short",
    log: Callable[[str], None] | None = None,
    encoder: Any | None = None,
) -> str:
    """recall@k / nDCG@k of the normal recommendation path (direction any, step-downs included:
    O*NET's related occupations are not only moves up) for an employee who holds each query
    occupation with exactly its requirements."""
    truth = read_related(labels, tier)
    with tempfile.TemporaryDirectory(prefix="skillgraph-eval-") as d:
        sg = _engine(config, Path(d), onet, encoder)
        roles = {r.id: r for r in sg.store.all("role")}  # type: ignore[attr-defined]
        queries = sorted(q for q in truth if q in roles)
        sg.store.upsert(
            [
                Employee(
                    id=f"{EVAL_PREFIX}{q}",
                    display_name=f"Holder of {roles[q].title}",
                    role_id=q,
                    skills=[EmployeeSkill(skill_id=x.skill_id, level=x.level) for x in roles[q].requirements],
                )
                for q in queries
            ]
        )
        sg.build_index()
        recall = ndcg = 0.0
        for q in queries:
            rec = sg.recommend(f"{EVAL_PREFIX}{q}", limit=k, direction="any", include_step_down=True)
            ranked = [it.role_id for it in rec.items]
            rel = truth[q]
            recall += len(set(ranked[:k]) & rel) / len(rel)
            ndcg += ndcg_at_k(ranked, rel, k)
        n = len(queries)
    if log:
        log(f"{n} queries of tier {tier}")
    return f"recall@{k}={recall / n:.3f} ndcg@{k}={ndcg / n:.3f} queries={n}"


def eval_titles(config: Config, onet: Path, labels: Path, *, k: int = 5, encoder: Any | None = None) -> str:
    pairs = read_titles(labels)
    with tempfile.TemporaryDirectory(prefix="skillgraph-eval-") as d:
        sg = _engine(config, Path(d), onet, encoder)
        sg.build_index()
        found = sg.resolve_titles([t for t, _ in pairs], k=k)
    at1 = sum(1 for (_, code), m in zip(pairs, found, strict=True) if m and m[0].id == code)
    atk = sum(1 for (_, code), m in zip(pairs, found, strict=True) if any(x.id == code for x in m[:k]))
    n = len(pairs)
    return f"acc@1={at1 / n:.3f} acc@{k}={atk / n:.3f} n={n}"
