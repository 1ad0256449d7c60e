"""Write ``sroi/sampling/sobol_screened.py``: Sobol' dimensions no two of which
can correlate beyond random sampling's extremes, under any scramble.

Run from the repository root (a few seconds):

    python tools/screen_sobol_dimensions.py

**Why.**  Point ``i`` of Sobol' dimension ``d`` has bit ``a`` (from the top)
equal to row ``a`` of the dimension's generator matrix times the bits of
``i``, over GF(2).  When a combination of the top rows of one dimension
equals one of another's over the first ``K`` columns, the two columns'
top bits are tied for the first ``2^K`` points.  A tie between bit ``a`` of
one and bit ``b`` of the other gives a Pearson correlation of
``3 * 2^-(a+b)``: 0.75 for the top bits, 0.375, 0.19, 0.094, 0.047 below.
Among Joe and Kuo's 21,201 dimensions (scipy's), about one pair in 1,000
is tied at the top bits over 8,192 points, so a run of 183 values (the four
bundled sites) had nine pairs of inputs correlated at 0.75.  The scramble
(a random lower-triangular matrix and a digital shift per column) never
removes a tie: it replaces each row by itself plus rows above it and flips
bits, so a tie in the spans of the top rows stays possible.

**The screen.**  Walking the dimensions in order, a dimension is kept when,
over the first :data:`K` columns, no tie with ``a + b <= 5`` is possible
with any dimension kept before it: the spans of the top three rows of the
two share no vector but 0, and neither's top row lies in the span of the
other's top four rows.  Then no two kept dimensions correlate beyond
0.047 over ``2^K`` points or any larger power of two, whatever their
scrambles; random sampling's largest of 16,000 pairs at 8,192 draws is
about as large (4.3 standard deviations of 0.011).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sroi.sampling.quasi import SOBOL_BITS, SOBOL_DIMENSIONS, direction_numbers  # noqa: E402

#: Columns of the generator matrices screened: ties are excluded over the
#: first ``2^K`` points, so for any run of ``2^K`` draws or a larger power of 2.
K = 13
OUT = ROOT / "sroi" / "sampling" / "sobol_screened.py"


def top_rows(dim: int, count: int) -> list[int]:
    """Rows 1..``count`` of ``dim``'s generator matrix over the first :data:`K`
    columns, each as an integer whose bit ``k`` is column ``k``."""
    table = direction_numbers()[dim, :K].tolist()
    return [
        sum(((v >> (SOBOL_BITS - 1 - a)) & 1) << k for k, v in enumerate(table))
        for a in range(count)
    ]


def span(vectors: list[int]) -> set[int]:
    """The nonzero vectors of the GF(2) span of ``vectors``."""
    out = {0}
    for v in vectors:
        out |= {x ^ v for x in out}
    out.discard(0)
    return out


def screen() -> list[int]:
    """The kept dimensions, in increasing order."""
    kept: list[int] = []
    spans3: set[int] = set()  # every kept dimension's top-three-row span
    spans4: set[int] = set()  # every kept dimension's top-four-row span
    tops: set[int] = set()  # every kept dimension's top row
    for dim in range(SOBOL_DIMENSIONS):
        rows = top_rows(dim, 4)
        three, four = span(rows[:3]), span(rows)
        if three & spans3 or rows[0] in spans4 or four & tops:
            continue
        kept.append(dim)
        spans3 |= three
        spans4 |= four
        tops.add(rows[0])
    return kept


def write(kept: list[int]) -> None:
    """Write the module, 12 dimensions a line."""
    lines = [", ".join(str(d) for d in kept[i : i + 12]) for i in range(0, len(kept), 12)]
    body = "\n".join(f"    {line}," for line in lines)
    OUT.write_text(
        '"""Sobol\' dimensions screened so that no two correlate spuriously (written by\n'
        "``tools/screen_sobol_dimensions.py``, which says how; do not edit).\n\n"
        "Under any scramble, no two of these dimensions correlate beyond 0.047 over\n"
        f"the first 2^{K} points or any larger power of 2.  Used by\n"
        ":func:`sroi.sampling.quasi.sobol_dimensions`.\n"
        '"""\n\n'
        f"#: Screened over the first 2^K points [log2 of points].\nK = {K}\n"
        f"#: The screened dimensions, in increasing order ({len(kept):,}).\n"
        "# fmt: off\n"
        f"SCREENED: tuple[int, ...] = (\n{body}\n)\n"
        "# fmt: on\n"
    )


def main() -> int:
    kept = screen()
    write(kept)
    print(f"wrote {OUT.relative_to(ROOT)}: {len(kept):,} of {SOBOL_DIMENSIONS:,} dimensions")
    return 0


if __name__ == "__main__":
    sys.exit(main())
