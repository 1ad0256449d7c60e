"""Uniform points for the ``sobol`` and ``lhs`` samplers (docs/methodology.md §11).

Both samplers give each uncertain value a column of uniform points in
(0, 1), which its distribution's inverse CDF turns into draws.  Like the
pseudo-random streams, every column is addressable: draw ``i`` of a value is
a function of the value's stream key and ``i`` alone, so results do not
depend on the chunk size, the number of workers or the order of scenarios.

**Sobol'.**  Value ``v`` takes dimension ``d(v)`` of the Sobol' sequence with
the Joe and Kuo direction numbers that :mod:`scipy.stats.qmc` uses.  The
dimension comes from the value's key (:func:`sobol_dimensions`), not from
its position among the values, and from a set of dimensions screened so
that no two correlate spuriously (:mod:`sroi.sampling.sobol_screened`).
Point ``i`` is the XOR of the direction numbers picked by the bits of ``i``
(natural order; the first ``2^m`` points are the same set as scipy's
Gray-code order).  Each column is scrambled on its own with a random linear
matrix scramble and a digital shift drawn from its key, so every ``2^m``
aligned points stay a stratified net.

**Latin hypercube (``lhs``).**  Within each aligned batch of :data:`BATCH`
draws, a value's points fall one in each of ``BATCH`` equal strata, in a
random order drawn from its key; so any whole number of batches is
stratified.

**Correlated values.**  Under both samplers, a correlated group is
reordered as under pseudo-random draws (:mod:`sroi.sampling.correlation`),
but batch by batch (``BATCH`` draws) rather than block by block, so every
batch keeps its stratified margins.
"""

from __future__ import annotations

import hashlib
import warnings
from collections.abc import Sequence
from functools import lru_cache

import numpy as np

from sroi.sampling.sobol_screened import SCREENED, K
from sroi.sampling.streams import BLOCK, block_generator

#: Draws per batch of the quasi-random samplers: the unit of stratification
#: and of copula reordering [draws]; divides the stream block.
BATCH = 1024
#: Samplers a run may use: pseudo-random streams, scrambled Sobol' points,
#: Latin hypercube per block.
SAMPLERS = ("random", "sobol", "lhs")
#: Bits of a Sobol' point: at most 2^32 distinct points per run.
SOBOL_BITS = 32
#: Sobol' dimensions with direction numbers (Joe and Kuo's table in scipy).
SOBOL_DIMENSIONS = 21_201
#: Smallest and largest uniform handed to an inverse CDF: keeps unbounded
#: margins finite; moves probability 2^-40 at most.
_EDGE = 2.0**-40
_SCRAMBLE_TAG = 0x50B0
_LHS_TAG = 0x1A75


def check_sampler(name: str) -> str:
    """``name`` if it is a known sampler, else a ``ValueError`` naming them."""
    if name not in SAMPLERS:
        raise ValueError(f"sampler must be one of {', '.join(SAMPLERS)}; found {name!r}")
    return name


@lru_cache(maxsize=1)
def direction_numbers() -> np.ndarray:
    """Sobol' direction numbers, shape ``(SOBOL_DIMENSIONS, SOBOL_BITS)``
    uint32, most significant bit first (scipy's table, unscrambled)."""
    from scipy.stats import qmc  # imported here: scipy.stats is slow to import

    engine = qmc.Sobol(d=SOBOL_DIMENSIONS, scramble=False, bits=SOBOL_BITS)
    table = np.asarray(engine._sv, dtype=np.uint32)
    table.setflags(write=False)
    return table


def sobol_dimensions(keys: set[tuple[int, int]]) -> dict[tuple[int, int], int]:
    """The Sobol' dimension of each stream key of a run.

    Dimensions come from :data:`~sroi.sampling.sobol_screened.SCREENED`: no
    two of those correlate beyond 0.047 over any multiple of 8,192 points,
    under any scramble, whereas some pairs of the whole sequence correlate at
    0.75 (their top bits agree).  A key's preferred place among them is a
    hash of the key; keys are placed in the order of their own value (not
    the order of scenarios or values), and a key whose place is taken moves
    to the next free one.  A value's dimension therefore changes only when
    another key of the run collides with it.  Past as many keys as there are
    screened dimensions, the rest are placed the same way among the other
    dimensions, unscreened.

    >>> dims = sobol_dimensions({(1, 2), (3, 4)})
    >>> len(set(dims.values())) == 2 and set(dims.values()) <= set(SCREENED)
    True
    """
    if len(keys) > SOBOL_DIMENSIONS:
        raise ValueError(
            f"a Sobol' run has at most {SOBOL_DIMENSIONS:,} uncertain values; found {len(keys):,}"
        )
    ordered = sorted(keys)
    first, rest = ordered[: len(SCREENED)], ordered[len(SCREENED) :]
    out = _place(first, SCREENED)
    if rest:
        warnings.warn(
            f"a Sobol' run of {len(keys):,} uncertain values: {len(rest):,} of them, past the "
            f"{len(SCREENED)} screened dimensions, take unscreened ones, where a pair may "
            "correlate spuriously (docs/methodology.md section 11); run fewer scenarios at once, "
            "or use --sampler lhs",
            stacklevel=2,
        )
        out |= _place(rest, _unscreened())
    return out


def _place(keys: list[tuple[int, int]], dims: Sequence[int]) -> dict[tuple[int, int], int]:
    """Each of ``keys`` (sorted, at most ``len(dims)``) at the place in ``dims``
    its hash prefers, or the next free one."""
    taken: set[int] = set()
    out: dict[tuple[int, int], int] = {}
    for key in keys:
        digest = hashlib.blake2b(f"{key[0]}:{key[1]}".encode(), digest_size=8).digest()
        place = int.from_bytes(digest, "little") % len(dims)
        while place in taken:
            place = (place + 1) % len(dims)
        taken.add(place)
        out[key] = dims[place]
    return out


def warn_sobol_draws(sampler: str, draws: int) -> None:
    """Warn (``UserWarning``) when a Sobol' run's ``draws`` are not a whole
    number of the ``2^K`` point nets over which its values are screened to
    stay uncorrelated (docs/methodology.md section 11)."""
    whole = 2**K
    if sampler == "sobol" and draws and draws % whole:
        warnings.warn(
            f"a Sobol' run of {draws:,} draws: values are kept uncorrelated over multiples of "
            f"{whole:,} draws (e.g. {2 * whole:,}); over {draws:,}, some pairs of independent "
            "values may correlate (docs/methodology.md section 11)",
            stacklevel=3,
        )


@lru_cache(maxsize=1)
def _unscreened() -> tuple[int, ...]:
    """Every Sobol' dimension not in :data:`SCREENED`, in increasing order."""
    screened = set(SCREENED)
    return tuple(d for d in range(SOBOL_DIMENSIONS) if d not in screened)


@lru_cache(maxsize=4096)
def _scrambled_directions(key: tuple[int, int], dim: int) -> tuple[np.ndarray, int]:
    """Direction numbers of dimension ``dim`` after a random linear matrix
    scramble, and a digital shift, both drawn from ``key``."""
    rng = block_generator(_tagged(key, _SCRAMBLE_TAG), 0)
    # Lower-triangular binary matrix with a unit diagonal: row r (bit r from
    # the top) mixes in the bits above it.
    lower = np.tril(rng.integers(0, 2, size=(SOBOL_BITS, SOBOL_BITS)), -1)
    lower[np.diag_indices(SOBOL_BITS)] = 1
    weights = 1 << np.arange(SOBOL_BITS - 1, -1, -1, dtype=np.uint64)
    row_masks = [int((row * weights).sum()) for row in lower]
    shift = int(rng.integers(0, 2**SOBOL_BITS, dtype=np.uint64))
    out = np.empty(SOBOL_BITS, dtype=np.uint32)
    for k, v in enumerate(direction_numbers()[dim].tolist()):
        bits = 0
        for r, mask in enumerate(row_masks):
            bits |= (bin(v & mask).count("1") & 1) << (SOBOL_BITS - 1 - r)
        out[k] = bits
    out.setflags(write=False)
    return out, shift


def sobol_points(key: tuple[int, int], dim: int, start: int, stop: int) -> np.ndarray:
    """Scrambled Sobol' points ``start .. stop-1`` of dimension ``dim`` for
    the value with stream ``key``, in (0, 1).

    >>> u = sobol_points((1, 2), 5, 0, 8)
    >>> sorted((u * 8).astype(int).tolist())  # one point in each eighth
    [0, 1, 2, 3, 4, 5, 6, 7]
    """
    if stop > 2**SOBOL_BITS:
        raise ValueError(f"a Sobol' run has at most 2^{SOBOL_BITS} draws")
    directions, shift = _scrambled_directions(key, dim)
    index = np.arange(start, stop, dtype=np.uint64)
    acc = np.full(index.size, shift, dtype=np.uint32)
    for k in range(max(stop - 1, 1).bit_length()):
        acc ^= np.where((index >> np.uint64(k)) & np.uint64(1), directions[k], np.uint32(0))
    return (acc.astype(np.float64) + 0.5) * 2.0**-SOBOL_BITS


def lhs_points(key: tuple[int, int], start: int, stop: int) -> np.ndarray:
    """Latin hypercube points ``start .. stop-1`` of the value with stream
    ``key``, in (0, 1): one point in each of ``BATCH`` strata per batch.

    >>> u = lhs_points((1, 2), 0, 1024)
    >>> len(set((u * 1024).astype(int).tolist()))
    1024
    """
    parts = []
    tagged = _tagged(key, _LHS_TAG)
    batches = BLOCK // BATCH
    for block in range(start // BLOCK, (stop - 1) // BLOCK + 1):
        rng = block_generator(tagged, block)
        strata = rng.permuted(np.tile(np.arange(BATCH), (batches, 1)), axis=1)
        u = ((strata + rng.random((batches, BATCH))) / BATCH).ravel()
        lo = max(start, block * BLOCK) - block * BLOCK
        hi = min(stop, (block + 1) * BLOCK) - block * BLOCK
        parts.append(u[lo:hi])
    return np.clip(np.concatenate(parts), _EDGE, 1 - _EDGE)


def _tagged(key: tuple[int, int], tag: int) -> tuple[int, int]:
    """A key derived from ``key`` and ``tag``, distinct from every stream key."""
    sequence = np.random.SeedSequence(entropy=[key[0], key[1], tag])
    k0, k1 = (int(x) for x in sequence.generate_state(2, dtype=np.uint64))
    return k0, k1
