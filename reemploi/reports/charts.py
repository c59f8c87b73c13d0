"""Charts as server-rendered SVG (no chart service, no JavaScript): horizontal bars with their values
written out, readable in print. Each chart comes with the table it draws (the page shows both)."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from reemploi import formats

BAR_HEIGHT, GAP, LABEL_WIDTH, BAR_WIDTH, VALUE_WIDTH = 18, 6, 190, 300, 90
COLOURS = ("#1f5f8b", "#2e8540", "#b35c00", "#6a3d9a", "#8a1c1c", "#4d4d4d")


def bars(rows: Sequence[tuple[str, float]], unit: str = "", title: str = "") -> str:
    """An SVG bar chart of (label, value) rows; empty when there is nothing to draw."""
    if not rows:
        return ""
    top = max((value for _, value in rows), default=0) or 1
    height = len(rows) * (BAR_HEIGHT + GAP) + GAP
    width = LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="{escape(title)}">'
    ]
    if title:
        parts.append(f"<title>{escape(title)}</title>")
    for n, (label, value) in enumerate(rows):
        y = GAP + n * (BAR_HEIGHT + GAP)
        length = max(1.0, BAR_WIDTH * value / top) if value else 0
        shown = formats.number(value)
        parts.append(
            f'<text x="{LABEL_WIDTH - 6}" y="{y + BAR_HEIGHT - 5}" text-anchor="end" font-size="12">{escape(label)}</text>'
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{length:.1f}" height="{BAR_HEIGHT}" fill="{COLOURS[n % len(COLOURS)]}"/>'
            f'<text x="{LABEL_WIDTH + length + 6:.1f}" y="{y + BAR_HEIGHT - 5}" font-size="12">{shown}{(" " + escape(unit)) if unit else ""}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
