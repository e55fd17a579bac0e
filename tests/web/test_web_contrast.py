"""Colour contrast of the pages' text (WCAG AA: at least 4.5:1) in the stylesheet and the career map."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from engine.charts.career_map import LANE_FILL, ROUTE_FILL, career_map_svg
from graph import RoleNode, build_role_graph
from service.web import STATIC_DIR


def luminance(colour: str) -> float:
    h = colour.lstrip("#")
    if len(h) == 3:
        h = "".join(c * 2 for c in h)
    channels = [int(h[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a: str, b: str) -> float:
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_contrast_helper_knows_the_extremes() -> None:
    assert round(contrast("#000", "#fff"), 1) == 21.0 and contrast("#777", "#777") == 1.0


def test_stylesheet_text_colours_meet_aa_on_their_backgrounds() -> None:
    css = (STATIC_DIR / "app.css").read_text()
    var = dict(re.findall(r"--([a-z-]+):\s*(#[0-9a-fA-F]{3,6})", css))
    pairs = [("ink", "bg"), ("ink", "panel"), ("muted", "panel"), ("muted", "bg"), ("link", "panel"), ("link", "bg"),
             ("ok-ink", "ok-bg"), ("soon-ink", "soon-bg"), ("stretch-ink", "stretch-bg"), ("long-ink", "long-bg"),
             ("long-ink", "panel"), ("alert-ink", "alert-bg"), ("muted", "long-bg")]
    for fg, bg in pairs:
        assert contrast(var[fg], var[bg]) >= 4.5, (fg, bg, round(contrast(var[fg], var[bg]), 2))
    # The header: white and the light grey on the dark bar; the primary button's white text.
    assert contrast("#ffffff", "#0d1b2a") >= 4.5 and contrast("#c9d1d9", "#0d1b2a") >= 4.5
    assert contrast("#ffffff", var["link"]) >= 4.5


def test_every_text_of_a_career_map_meets_aa_on_any_of_its_fills() -> None:
    G = build_role_graph([RoleNode("a", "A", "f", 1, "ic"), RoleNode("b", "B", "f", 2, "ic"),
                          RoleNode("c", "C", "f", 2, "management"), RoleNode("d", "D", "f", 3, None)],
                         ladder=[("a", "b"), ("b", "d")], transitions=[("a", "c")] * 4 + [("a", "b")],
                         cost=lambda u, v: 5.0)
    root = ET.fromstring(career_map_svg(G, route=["a", "b", "d"], alternatives=[["a", "c", "d"]]))
    fills = {t.get("fill") for t in root.iter("{http://www.w3.org/2000/svg}text")}
    assert len(fills) >= 3  # ink, muted, route captions
    for fill in fills:
        for bg in (*LANE_FILL, ROUTE_FILL):
            assert contrast(fill, bg) >= 4.5, (fill, bg, round(contrast(fill, bg), 2))
