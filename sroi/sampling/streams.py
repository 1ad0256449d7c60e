"""Independent, addressable random streams (docs/methodology.md §11).

Each uncertain value draws from its own stream, keyed by the run seed, the
scenario id and the value's dotted path; a ``shared`` value's key leaves the
scenario id out, so every scenario in a run draws the same numbers for it.

Draws are cut into fixed blocks of :data:`BLOCK` draws.  Block ``b`` of a
stream is a counter-based Philox generator whose counter starts at ``b`` in
its highest word, so any range of draws can be produced without producing the
draws before it.  Within a block, numpy's samplers produce variates one after
another, so the first ``m`` variates of a block do not depend on how many are
asked for.  Together these make every draw independent of the chunk size and
the number of worker processes.
"""

from __future__ import annotations

import hashlib

import numpy as np

from sroi.distributions import Distribution

#: Draws per stream block: the unit of random-number addressing [draws].
BLOCK = 16_384


def stream_key(seed: int, path: str, scenario_id: str | None) -> tuple[int, int]:
    """The 128-bit Philox key of one value's stream, as two 64-bit words.

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
    """The generator of block ``block`` of the stream with ``key``."""
    bits = np.random.Philox(key=key[0] | (key[1] << 64), counter=[0, 0, 0, block])
    return np.random.Generator(bits)


def draw_range(key: tuple[int, int], start: int, stop: int, draw: Distribution | str) -> np.ndarray:
    """Draws ``start .. stop-1`` of a stream.

    ``draw`` is a distribution (sampled with its native sampler) or
    ``"normal"`` for standard normal variates (used by the copula).
    """
    if stop <= start:
        return np.empty(0)
    parts = []
    for block in range(start // BLOCK, (stop - 1) // BLOCK + 1):
        lo = max(start, block * BLOCK) - block * BLOCK
        hi = min(stop, (block + 1) * BLOCK) - block * BLOCK
        rng = block_generator(key, block)
        values = rng.standard_normal(hi) if isinstance(draw, str) else draw.sample(rng, hi)
        parts.append(values[lo:hi])
    if len(parts) == 1:
        return parts[0]
    return np.concatenate(parts)
