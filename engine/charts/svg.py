"""SVG primitives shared by the chart modules: a small builder and a horizontal bar chart."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from xml.sax.saxutils import escape as _escape

__all__ = ["PALETTE", "Svg", "bar_chart", "esc"]

# Colour-blind-safe (Okabe-Ito) with enough contrast on white for text and thin lines.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442")
INK = "#1f2328"
MUTED = "#6e7781"
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"


def esc(text: object) -> str:
    """Text safe inside SVG elements and double-quoted attributes."""
    return _escape(str(text), {'"': "&quot;"})


def _attrs(attrs: dict[str, object]) -> str:
    return "".join(f' {k.rstrip("_").replace("_", "-")}="{esc(v)}"' for k, v in attrs.items() if v is not None)


@dataclass
class Svg:
    """An SVG document built element by element; ``render()`` returns the text.

    ``title`` and ``desc`` become the accessible name and description (role="img").
    """

    width: int
    height: int
    title: str
    desc: str = ""
    parts: list[str] = field(default_factory=list)

    def add(self, tag: str, text: str | None = None, **attrs: object) -> Svg:
        if text is None:
            self.parts.append(f"<{tag}{_attrs(attrs)}/>")
        else:
            self.parts.append(f"<{tag}{_attrs(attrs)}>{esc(text)}</{tag}>")
        return self

    def raw(self, markup: str) -> Svg:
        self.parts.append(markup)
        return self

    def rect(self, x: float, y: float, w: float, h: float, **attrs: object) -> Svg:
        return self.add(
            "rect", x=f"{x:.1f}", y=f"{y:.1f}", width=f"{max(w, 0):.1f}", height=f"{max(h, 0):.1f}", **attrs
        )

    def line(self, x1: float, y1: float, x2: float, y2: float, **attrs: object) -> Svg:
        return self.add("line", x1=f"{x1:.1f}", y1=f"{y1:.1f}", x2=f"{x2:.1f}", y2=f"{y2:.1f}", **attrs)

    def text(self, x: float, y: float, text: str, *, size: int = 12, **attrs: object) -> Svg:
        attrs.setdefault("fill", INK)
        return self.add("text", text, x=f"{x:.1f}", y=f"{y:.1f}", font_size=size, **attrs)

    def render(self) -> str:
        head = (
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {self.width} {self.height}" '
            f'width="{self.width}" height="{self.height}" role="img" aria-labelledby="t d" '
            f'font-family="{esc(FONT)}">'
            f'<title id="t">{esc(self.title)}</title><desc id="d">{esc(self.desc or self.title)}</desc>'
        )
        return head + "".join(self.parts) + "</svg>"


def bar_chart(
    rows: Sequence[tuple[str, float]],
    *,
    title: str,
    desc: str = "",
    value_format: str = "{:.2f}",
    max_value: float | None = None,
    threshold: float | None = None,
    threshold_label: str = "",
    highlight: Sequence[bool] | None = None,
    width: int = 640,
) -> str:
    """Horizontal bars, one per (label, value), labelled with their values.

    ``threshold`` draws a dashed reference line (e.g. the four-fifths rule at 0.8);
    ``highlight`` marks bars to draw in the warning colour (e.g. flagged groups).
    """
    bar_h, gap, top, left, right = 22, 8, 40, min(260, 40 + 7 * max((len(r[0]) for r in rows), default=4)), 70
    height = top + len(rows) * (bar_h + gap) + 30
    svg = Svg(width, height, title, desc)
    svg.text(left, 22, title, size=14, font_weight="600")
    hi = max_value if max_value is not None else max([v for _, v in rows] + [threshold or 0.0, 1e-9])
    span = width - left - right
    for i, (label, value) in enumerate(rows):
        y = top + i * (bar_h + gap)
        colour = PALETTE[1] if highlight is not None and highlight[i] else PALETTE[0]
        svg.text(left - 8, y + bar_h * 0.7, label, text_anchor="end")
        svg.rect(left, y, span * max(0.0, value) / hi, bar_h, fill=colour)
        svg.text(left + span * max(0.0, value) / hi + 6, y + bar_h * 0.7, value_format.format(value), fill=MUTED)
    if threshold is not None:
        x = left + span * threshold / hi
        svg.line(x, top - 6, x, height - 24, stroke=INK, stroke_dasharray="4 3")
        if threshold_label:
            svg.text(x, height - 8, threshold_label, size=11, text_anchor="middle", fill=MUTED)
    return svg.render()
