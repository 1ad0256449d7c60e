"""Value of information for a choice among several options, on arrays.

The options are alternatives for one decision (several designs of a
service, or sites competing for one budget), each with a net benefit per
draw; the draws come from one run, so values the options share take the
same draw in every option (common random numbers).  Not commissioning any
is an option worth 0 unless left out.

With today's evidence the best option is the one with the highest expected
net benefit; with perfect information it is the best one in each draw::

    EVPI = E[max_k NB_k] - max_k E[NB_k]

The two-option case ``[NB, 0]`` is :func:`sroi.analysis.voi_net_benefit.evpi`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

#: Name of the option of commissioning none of the others (net benefit 0).
NONE = "none"


def _matrix(net_benefits: ArrayLike) -> np.ndarray:
    nb = np.asarray(net_benefits, dtype=np.float64)
    if nb.ndim != 2 or nb.shape[0] < 1 or nb.shape[1] < 1:
        raise ValueError(f"net benefits must be (options, draws); found shape {nb.shape}")
    if not np.all(np.isfinite(nb)):
        raise ValueError("net benefits must be finite in every draw")
    return nb


def evpi_options(net_benefits: ArrayLike) -> float:
    """EVPI of choosing among options (rows) over draws (columns).

    Parameters
    ----------
    net_benefits : array of float, shape (options, draws)
        Net benefit of each option in each draw [currency]; include a row
        of zeros for "none" when doing nothing is an option.

    Returns
    -------
    float
        ``mean(max over rows) - max(mean of each row)`` [currency]; never
        negative.

    >>> evpi_options([[-1.0, 3.0], [0.0, 0.0]])  # the binary case
    0.5
    >>> evpi_options([[1.0, 0.0], [0.0, 1.0], [0.4, 0.4]])  # (1 + 1) / 2 - 0.5
    0.5
    """
    nb = _matrix(net_benefits)
    return max(float(np.mean(nb.max(axis=0)) - nb.mean(axis=1).max()), 0.0)


def evpi_options_se(net_benefits: ArrayLike) -> float:
    """Monte Carlo standard error of :func:`evpi_options` [currency]: the sd
    of ``max_k NB_k - NB_best`` (``best``: the option with the highest mean)
    over the square root of the number of draws.

    >>> evpi_options_se([[1.0, 1.0], [0.0, 0.0]])
    0.0
    """
    nb = _matrix(net_benefits)
    if nb.shape[1] < 2:
        return math.nan
    loss = nb.max(axis=0) - nb[int(np.argmax(nb.mean(axis=1)))]
    return float(np.std(loss, ddof=1) / math.sqrt(nb.shape[1]))


@dataclass(frozen=True)
class Choice:
    """Value of information of one choice among options.

    options : tuple of str
        Option names, in the order of the rows given (``"none"`` last when
        included).
    mean_net_benefit : ndarray
        Expected net benefit of each option [currency].
    prob_best : ndarray
        Share of draws in which each option has the highest net benefit
        (ties shared equally).
    chosen : str
        The option with the highest expected net benefit.
    evpi : float
        :func:`evpi_options` [currency].
    evpi_se : float
        Its Monte Carlo standard error [currency].
    evpi_per_woman : float
        The same choice made per woman: each option's net benefit divided by
        the mean number of women it supports (``"none"`` stays 0)
        [currency per woman].
    """

    options: tuple[str, ...]
    mean_net_benefit: np.ndarray
    prob_best: np.ndarray
    chosen: str
    evpi: float
    evpi_se: float
    evpi_per_woman: float


def choice(
    names: Sequence[str],
    net_benefits: ArrayLike,
    users: ArrayLike,
    *,
    include_none: bool = True,
) -> Choice:
    """Value of information of choosing among ``names`` (or none of them).

    Parameters
    ----------
    names : sequence of str
        Option names, one per row of ``net_benefits``.
    net_benefits : array, shape (options, draws)
        Net benefit per option and draw [currency].
    users : array, shape (options, draws)
        Women supported per option and draw [women].
    include_none : bool
        Add the option of commissioning none (net benefit 0).

    Examples
    --------
    >>> c = choice(["a", "b"], [[2.0, -3.0], [-2.0, 1.0]], [[2.0, 2.0], [1.0, 1.0]])
    >>> c.chosen, c.evpi, c.evpi_per_woman  # (2 + 1) / 2 - 0; per woman (1 + 1) / 2 - 0
    ('none', 1.5, 1.0)
    """
    nb = _matrix(net_benefits)
    u = np.asarray(users, dtype=np.float64)
    if len(names) != nb.shape[0] or u.shape != nb.shape:
        raise ValueError(
            f"{len(names)} names, net benefits {nb.shape} and users {u.shape} do not match"
        )
    mean_users = u.mean(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        per_woman = nb / mean_users[:, None]
    labels = tuple(names)
    if include_none:
        zeros = np.zeros((1, nb.shape[1]))
        nb, per_woman = np.vstack([nb, zeros]), np.vstack([per_woman, zeros])
        labels = (*labels, NONE)
    means = nb.mean(axis=1)
    top = nb == nb.max(axis=0)
    prob_best = (top / top.sum(axis=0)).mean(axis=1)
    per = evpi_options(per_woman) if np.all(np.isfinite(per_woman)) else math.nan
    return Choice(
        options=labels,
        mean_net_benefit=means,
        prob_best=prob_best,
        chosen=labels[int(np.argmax(means))],
        evpi=evpi_options(nb),
        evpi_se=evpi_options_se(nb),
        evpi_per_woman=per,
    )


__all__ = ["NONE", "Choice", "choice", "evpi_options", "evpi_options_se"]
