"""Draws per unit of work when the caller does not choose
(docs/methodology.md §12, item 10; docs/performance.md#chunk-size).

A chunk's work is a fixed amount of Python per scenario and outcome plus
numpy arithmetic on arrays of the chunk's draws, so larger chunks spend
less of the run in Python.  Three things bound them:

* **Cache.**  Beyond :data:`MOST_BLOCKS` blocks a chunk's arrays outgrow
  the processor's caches, and runs are no faster
  (``benchmarks/chunks.py`` measures it).
* **Memory.**  A chunk's arrays (each scenario's inputs, metrics and
  yearly positions, the programme's sums) take about as many bytes per
  draw as a stored draw of every scenario and the programme: 3,960 for the
  four bundled sites, which measured about 3,000 more bytes of peak memory
  per draw of a chunk.  The programme's value per year takes at most
  8 bytes per perspective and year a draw (its ledgers, when they hold
  more spreads than years or a discount rate is drawn).  The automatic
  chunk keeps the larger of the two estimates within :data:`WORK_BYTES`,
  and the stored draws it hands back (before they are copied into the
  store) within a quarter of the store's budget.
* **Spread.**  With worker processes, every worker gets at least
  :data:`CHUNKS_PER_WORKER` chunks, so none waits long for the last.

The chunk size never changes results (docs/methodology.md §11).
"""

from __future__ import annotations

import math

from sroi.arguments import whole
from sroi.sampling.streams import BLOCK

#: Most stream blocks in an automatic chunk: 2 blocks (32,768 draws).  On
#: one 2-CPU machine four blocks were 3 to 9% faster than one; on another,
#: one and two blocks were 2 to 8% faster than four, with 90 MiB less
#: memory at 10^6 draws (docs/performance.md#chunk-size): two are within a
#: few percent of the best on both.
MOST_BLOCKS = 2

#: Memory a chunk's arrays may take under an automatic chunk, estimated
#: per draw as in the module docstring, times the chunk's draws [bytes].
WORK_BYTES = 256 * 2**20

#: Fewest chunks each worker process gets [chunks].
CHUNKS_PER_WORKER = 4


def automatic_chunk(draws: int, workers: int, work: int, handed: int, budget: int) -> int:
    """Draws per chunk for a run that does not choose [draws]: whole blocks,
    at least one and at most :data:`MOST_BLOCKS`, within the bounds in the
    module docstring.

    Parameters
    ----------
    draws : int
        Draws in the run.
    workers : int
        Worker processes sharing the chunks.
    work : int
        Bytes of a chunk's arrays per draw, estimated [bytes].
    handed : int
        Bytes of stored draws a block of draws hands back [bytes].
    budget : int
        The store's budget [bytes]; a chunk hands back at most a quarter.

    >>> automatic_chunk(1_000_000, 1, 3_960, 7_000_000, 320 * 2**20)  # four sites
    32768
    >>> automatic_chunk(100_000, 2, 3_960, 7_000_000, 320 * 2**20)  # 8 chunks at least
    16384
    >>> automatic_chunk(1_000_000, 1, 51_480, 7_000_000, 320 * 2**20)  # 64 scenarios
    16384
    >>> automatic_chunk(85_000, 1, 3_960, 80_000_000, 320 * 2**20)  # every draw stored
    16384
    """
    blocks = MOST_BLOCKS
    blocks = min(blocks, WORK_BYTES // (max(work, 1) * BLOCK))
    blocks = min(blocks, (budget // 4) // max(handed, 1))
    if workers > 1:
        blocks = min(blocks, draws // (CHUNKS_PER_WORKER * workers * BLOCK))
    return max(1, blocks) * BLOCK


def check_chunk_size(chunk_size: object) -> int | None:
    """``chunk_size`` as a caller gave it [draws]: None (the run chooses)
    or a whole number >= 1 (a Python or numpy integer, not a bool), else
    ``ValueError``.

    >>> check_chunk_size(None), check_chunk_size(5000)
    (None, 5000)
    """
    if chunk_size is None:
        return None
    try:
        return whole("chunk_size", chunk_size, 1)
    except ValueError:
        raise ValueError(
            f"chunk_size must be a whole number >= 1 or None; found {chunk_size!r}"
        ) from None


def stored_per_block(step: int, bytes_per_draw: int) -> int:
    """Bytes of stored draws one block hands back when every ``step``-th
    draw of ``bytes_per_draw`` is stored [bytes]."""
    return math.ceil(BLOCK / step) * bytes_per_draw
