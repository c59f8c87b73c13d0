"""Label rendering benchmark: reemploi's labels next to python-barcode's own SVG fed to WeasyPrint.

    .venv/bin/python bench/labels.py [--labels 500] [--rounds 3] [--template zebra-2.25x1.25in-203dpi]

Both render the same template with the same texts; only the symbol differs: ours is one SVG path
in whole printer dots (reemploi.labels.symbols), the baseline is python-barcode's SVGWriter output
(one element a bar, its own text). Prints labels/s for each (best of --rounds), the ratio, and the
peak memory of rendering 5,000 labels in a fresh process. Targets (issue 5): ≥ 100 labels/s, ≥ 3×
the baseline, ≤ 500 MB for 5,000. Not a test: it exits 0 whatever the figures.
"""

from __future__ import annotations

import argparse
import io
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from reemploi.devices.codes import make_code, next_numbers  # noqa: E402
from reemploi.labels import render  # noqa: E402

LINES = ["ordinateur portable · Lenovo ThinkPad T480", "Atelier Lyon 7e"]


def _codes(count: int) -> list[str]:
    return [make_code("LYO", n) for n in next_numbers("LYO", 0, count)]


def _baseline_pdf(template: str, codes: list[str]) -> bytes:
    """The same page, with python-barcode's default SVG for each symbol."""
    import barcode
    from barcode.writer import SVGWriter
    from weasyprint import HTML

    page = render.templates().get_template(f"{template}.html")
    filled: list[dict[str, Any]] = []
    for code in codes:
        out = io.BytesIO()
        barcode.get("code128", code, writer=SVGWriter()).write(out, options={"write_text": False})
        svg = out.getvalue().decode()
        svg = svg[svg.index("<svg") :]  # drop the XML declaration and doctype: inline SVG
        filled.append({"code": code, "symbol": svg, "lines": LINES, "offset_mm": "0"})
    return HTML(string=page.render(labels=filled), base_url=str(render.labels_dir())).write_pdf()


def _ours_pdf(template: str, codes: list[str]) -> bytes:
    return render.render_pdf(template, [render.LabelData(code, LINES) for code in codes])


def _best_rate(fn: Any, template: str, codes: list[str], rounds: int) -> tuple[float, int]:
    best, size = float("inf"), 0
    for _ in range(rounds):
        started = time.perf_counter()
        size = len(fn(template, codes))
        best = min(best, time.perf_counter() - started)
    return len(codes) / best, size


def _peak_memory_mb(template: str, count: int) -> float:
    """Peak resident memory (VmHWM) of a fresh process rendering `count` labels (ours), in MB."""
    script = (
        f"import resource, sys; sys.path.insert(0, {str(REPO)!r})\n"
        "from bench.labels import _codes, _ours_pdf, render\n"
        f"codes = _codes({count:d})\n"
        "for start in range(0, len(codes), render.MAX_LABELS):  # the product's batches: MAX_LABELS a PDF\n"
        f"    _ours_pdf({template!r}, codes[start:start + render.MAX_LABELS])\n"
        # VmHWM is this process's own peak; ru_maxrss would carry the parent's over fork + exec.
        "print(next(l.split()[1] for l in open('/proc/self/status') if l.startswith('VmHWM')))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=REPO)
    return int(done.stdout.strip().splitlines()[-1]) / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--labels", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--template", default="zebra-2.25x1.25in-203dpi")
    parser.add_argument("--memory-labels", type=int, default=5_000)
    args = parser.parse_args()
    codes = _codes(args.labels)
    _ours_pdf(args.template, codes[:5])  # warm: fonts, WeasyPrint's first call
    _baseline_pdf(args.template, codes[:5])
    ours, ours_size = _best_rate(_ours_pdf, args.template, codes, args.rounds)
    base, base_size = _best_rate(_baseline_pdf, args.template, codes, args.rounds)
    print(f"{args.labels} labels on {args.template}, best of {args.rounds}:")
    print(f"  reemploi (one path, whole dots):       {ours:7.1f} labels/s  PDF {ours_size / 1e6:.2f} MB")
    print(f"  python-barcode SVG fed to WeasyPrint:  {base:7.1f} labels/s  PDF {base_size / 1e6:.2f} MB")
    print(f"  ratio reemploi / baseline: {ours / base:.2f}  (target >= 3; throughput target >= 100 labels/s)")
    if args.memory_labels:
        peak = _peak_memory_mb(args.template, args.memory_labels)
        print(
            f"  peak memory for {args.memory_labels} labels in PDFs of {render.MAX_LABELS} (fresh process): "
            f"{peak:.0f} MB  (target <= 500 MB)"
        )
    print(f"  (this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB peak)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
