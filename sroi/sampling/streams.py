"""Independent, addressable random streams (docs/methodology.md §11).

Each uncertain value draws from its own stream, keyed by the run seed, the
scenario id and the value's dotted path; a ``shared`` value's key leaves the
scenario id out, so every scenario in a run draws the same numbers for it.

Draws are cut into fixed blocks of :data:`BLOCK` draws.  Block ``b`` of a
stream is an SFC64 generator seeded by ``SeedSequence(entropy=key,
spawn_key=(b,))``, so any range of draws can be produced without producing
the draws before it.  Within a block, variates are produced one after
another, so the first ``m`` variates of a block do not depend on how many
are asked for.  Together these make every draw independent of the chunk
size and the number of worker processes.

A beta or PERT value with both shapes >= 1 is drawn by inversion: a uniform
from the block, through the quantile table of :mod:`sroi.sampling.inverse`
(within 1e-6 of the exact quantile); every other distribution uses numpy's
sampler on the block's generator.
"""

from __future__ import annotations

import hashlib

import numpy as np

from sroi.distributions import Distribution
from sroi.sampling.inverse import quantiles, tabulated

#: Draws per stream block: the unit of random-number addressing [draws].
BLOCK = 16_384


def stream_key(seed: int, path: str, scenario_id: str | None) -> tuple[int, int]:
    """The 128-bit key of one value's stream, as two 64-bit words.

    ``scenario_id`` is ``None`` for a shared value.

    >>> stream_key(0, "effect.risk_without", None) == stream_key(0, "effect.risk_without", None)
    True
    >>> stream_key(0, "a", "x") != stream_key(0, "a", "y")
    True
    """
    name = f"{scenario_id or ''}\x00{path}".encode()
    digest = hashlib.blake2b(name, digest_size=16).digest()
    words = np.frombuffer(digest, dtype="<u4").tolist()
    sequence = np.random.SeedSequence(entropy=[int(seed), *words])
    k0, k1 = (int(x) for x in sequence.generate_state(2, dtype=np.uint64))
    return k0, k1


def score_key(key: tuple[int, int]) -> tuple[int, int]:
    """Key of the normal-score stream that goes with a value's stream (used to
    correlate values by reordering); distinct from every value's key."""
    sequence = np.random.SeedSequence(entropy=[key[0], key[1], 0x5C0E])
    k0, k1 = (int(x) for x in sequence.generate_state(2, dtype=np.uint64))
    return k0, k1


def block_generator(key: tuple[int, int], block: int) -> np.random.Generator:
    """The generator of block ``block`` of the stream with ``key``: SFC64
    seeded from the key and the block number through ``SeedSequence``."""
    sequence = np.random.SeedSequence(entropy=list(key), spawn_key=(block,))
    return np.random.Generator(np.random.SFC64(sequence))


def block_values(
    rng: np.random.Generator,
    size: int,
    draw: Distribution | str,
    skip: int = 0,
    out: np.ndarray | None = None,
) -> np.ndarray:
    """Variates ``skip .. size-1`` of a block's generator ``rng`` (the first
    ``size`` are made): standard normals for ``"normal"``, else draws of the
    distribution ``draw`` (by its quantile table where it has one, else by
    numpy's sampler).

    With ``out`` (``size - skip`` values) they are written there.  A
    block read from its start is then generated straight into ``out``, and
    a tabulated draw turns its uniforms into quantiles in place: the same
    numbers, without an array of their own.
    """
    if out is not None and skip == 0:
        if isinstance(draw, str):
            return rng.standard_normal(out=out)
        if tabulated(draw):
            return quantiles(draw, rng.random(out=out), out=out)
    if isinstance(draw, str):
        values = rng.standard_normal(size)[skip:]
    elif tabulated(draw):
        return quantiles(draw, rng.random(size)[skip:], out=out)
    else:
        values = draw.sample(rng, size)[skip:]
    if out is None:
        return values
    out[...] = values
    return out


def draw_range(key: tuple[int, int], start: int, stop: int, draw: Distribution | str) -> np.ndarray:
    """Draws ``start .. stop-1`` of a stream.

    ``draw`` is a distribution or ``"normal"`` for standard normal variates
    (used by the copula); see :func:`block_values`.  Each block's draws are
    written into one array for the whole range.
    """
    if stop <= start:
        return np.empty(0)
    out = np.empty(stop - start)
    for block in range(start // BLOCK, (stop - 1) // BLOCK + 1):
        first = block * BLOCK
        lo, hi = max(start, first), min(stop, first + BLOCK)
        target = out[lo - start : hi - start]
        block_values(block_generator(key, block), hi - first, draw, lo - first, target)
    return out
