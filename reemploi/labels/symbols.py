"""Code128 as compact SVG: one <path> for all the bars, in whole printer dots, with its quiet zone.

python-barcode encodes (start, data, check and stop symbols); we draw. Its own SVG writer emits one
element per bar and rounds widths to the millimetre grid of its choosing; a thermal printer prints
whole dots, so a module here is a whole number of dots, and the 10-module quiet zone is included in
the symbol's width so that nothing can be laid over it.
"""

from __future__ import annotations

from dataclasses import dataclass

import barcode

QUIET_ZONE_MODULES = 10
MM_PER_INCH = 25.4


@dataclass(frozen=True, slots=True)
class Symbol:
    svg: str
    width_mm: float  # quiet zones included
    height_mm: float
    modules: int  # bars and spaces, quiet zones excluded


def module_mm(dpi: int, dots: int) -> float:
    """A module `dots` printer dots wide, in millimetres."""
    return dots * MM_PER_INCH / dpi


def code128(text: str, module: float, height_mm: float) -> Symbol:
    """The Code128 symbol of `text`, each module `module` mm wide, bars `height_mm` tall."""
    (pattern,) = barcode.get("code128", text).build()
    runs: list[tuple[int, int]] = []  # (start module, width in modules) of each bar
    start = None
    for index, bit in enumerate(pattern + "0"):
        if bit == "1" and start is None:
            start = index
        elif bit == "0" and start is not None:
            runs.append((start, index - start))
            start = None
    quiet = QUIET_ZONE_MODULES
    total = len(pattern) + 2 * quiet
    # Drawn in module units and scaled by the viewBox: the path stays short whatever the size.
    path = "".join(f"M{quiet + s} 0h{w}v1h-{w}z" for s, w in runs)
    width_mm = total * module
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width_mm:.4f}mm" height="{height_mm:.4f}mm" '
        f'viewBox="0 0 {total} 1" preserveAspectRatio="none" shape-rendering="crispEdges">'
        f'<path d="{path}" fill="#000"/></svg>'
    )
    return Symbol(svg, width_mm, height_mm, len(pattern))
