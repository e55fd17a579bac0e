"""The programme figures on the analytics page: the mobility report of the last year.

From ``Skillgraph.programme.mobility`` (:mod:`engine.programme.analytics`, the same answer as
``GET /v1/analytics/mobility``): internal fill rate, promotion rate, months in role before a
promotion, by job family / role / team / manager; the roles where careers stall (bottlenecks)
and the managers and teams whose people move on far less than comparable people elsewhere (the
talent-hoarding signal), drawn with :func:`engine.charts.mobility.mobility_svg`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from engine.charts.mobility import mobility_svg
from service.web.render import Ctx
from service.web.svgs import inline

__all__ = ["BY", "MAX_ROWS", "Mobility", "mobility"]

BY = ("family", "role", "team", "manager")
MAX_ROWS = 15  # groups in the table (largest first); the chart shows as many


@dataclass
class Mobility:
    report: Any
    by: str
    groups: list[Any]  # the largest groups, for the table
    hoarding: list[Any]  # flagged first, then the least likely by chance
    chart: Markup


def mobility(ctx: Ctx, by: str) -> Mobility:
    by = by if by in BY else "family"
    report = ctx.engine.programme.mobility(by=by)
    groups = sorted((g for g in report.groups if g.headcount > 0), key=lambda g: (-g.headcount, g.label))
    hoarding = sorted(report.hoarding, key=lambda h: (not h.flag, h.q_value, h.p_value, h.label))
    return Mobility(report=report, by=by, groups=groups[:MAX_ROWS], hoarding=hoarding[:MAX_ROWS],
                    chart=inline(mobility_svg(report), "mob"))
