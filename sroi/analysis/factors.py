"""The values a sensitivity analysis moves: one :class:`Factor` per value.

A factor is one numeric value of the scenarios under analysis, addressed by
its dotted path.  A value marked ``shared: true`` is one factor however many
scenarios use it (it moves in all of them at once, as it is drawn in all of
them at once); any other value is one factor per scenario.

Structural values are never factors: ``delivery.years``, the ``ramp``
entries and outcome ``lag`` s are fixed numbers that shape the time line, not
quantities to perturb.  Nor are the ``duration`` and ``drop_off`` of an
outcome whose value is ``spread``: its spread carries the timing.

Values tied by a scenario's ``correlations`` cannot be moved one at a time
without breaking the correlation, so :func:`factor_groups` joins them (and,
through a shared value, their counterparts in other scenarios) into one
:class:`FactorGroup` that a variance decomposition treats as one input.

Each factor knows the values its field allows (docs/scenarios.md §2: probabilities in
[0, 1], money >= 0, proxies any real, ...), read from the
:class:`~sroi.scenario.values.Support` attached to the field, and the field's
unit, read from its description.
"""

from __future__ import annotations

import math
import types
import typing
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

import numpy as np
from pydantic import BaseModel

from sroi.distributions import Distribution
from sroi.prices import financial_year
from sroi.sampling.parameters import parameters
from sroi.scenario.correlations import pearson_from_rank
from sroi.scenario.labels import value_label, value_unit
from sroi.scenario.model import Scenario, path_steps
from sroi.scenario.money import money_values, value_price_year
from sroi.scenario.values import Support

if TYPE_CHECKING:
    import pandas as pd

#: Quantiles that span an uncertain value's plausible range (5th-95th percentile).
PLAUSIBLE = (0.05, 0.95)


@dataclass(frozen=True)
class Factor:
    """One value that a sensitivity analysis moves.

    path : str
        Dotted path, e.g. ``"costs.coordinator.salary"``.
    members : tuple of str
        Ids of the scenarios the value moves in (several for a shared value).
    distributions : tuple of Distribution
        The value in each member scenario.
    shared : bool
        Marked ``shared: true``: one value across scenarios.
    allowed : tuple of float
        ``(low, high)`` the field allows [unit]; either end may be infinite.
    unit : str
        The field's unit, e.g. ``"GBP/year"`` or ``"fraction"``.
    label : str
        The value's readable name (:func:`~sroi.scenario.labels.value_label`
        in its first member scenario).
    scenario : str
        Who it belongs to, for display: a scenario id, or ``"all"`` for a
        shared value moving in every scenario of a multi-scenario analysis.
    """

    path: str
    members: tuple[str, ...]
    distributions: tuple[Distribution, ...]
    shared: bool
    allowed: tuple[float, float]
    unit: str
    scenario: str
    label: str = ""

    @property
    def uncertain(self) -> bool:
        """True when the value has a distribution (in any member)."""
        return any(not d.is_fixed for d in self.distributions)

    @property
    def kind(self) -> str:
        """``"uncertain"`` or ``"fixed"``."""
        return "uncertain" if self.uncertain else "fixed"

    @property
    def is_duration(self) -> bool:
        """True for an outcome duration (its support fixes the analysis horizon)."""
        return self.path.startswith("outcomes.") and self.path.endswith(".duration")

    def central(self) -> np.ndarray:
        """Central value in each member [unit], shape ``(members,)``."""
        return np.array([d.central() for d in self.distributions])

    def quantiles(self, q: np.ndarray) -> np.ndarray:
        """Each member's values at probabilities ``q``, shape ``(members, len(q))``."""
        q = np.asarray(q, dtype=np.float64)
        return np.stack([d.ppf(q) for d in self.distributions])

    def band(self, band: float) -> tuple[np.ndarray, np.ndarray]:
        """``central * (1 -/+ band)`` per member, ordered and clipped to the
        allowed values."""
        c = self.central()
        a, b = c * (1.0 - band), c * (1.0 + band)
        low, high = np.minimum(a, b), np.maximum(a, b)
        return np.clip(low, *self.allowed), np.clip(high, *self.allowed)

    def plausible(self, band: float) -> tuple[float, float]:
        """The first member's plausible range: 5th-95th percentile of an
        uncertain value, ``central -/+ band`` of a fixed one."""
        if self.uncertain:
            lo, hi = self.quantiles(np.array(PLAUSIBLE))[0]
        else:
            low, high = self.band(band)
            lo, hi = low[0], high[0]
        return float(lo), float(hi)


def _timed_by_spread(s: Scenario, path: str) -> bool:
    """True for the duration or drop-off of an outcome that carries a spread."""
    parts = path.split(".")
    if len(parts) != 3 or parts[0] != "outcomes" or parts[2] not in ("duration", "drop_off"):
        return False
    outcome = s.outcomes.get(parts[1])
    return outcome is not None and outcome.spread is not None


def factors(scenarios: list[Scenario]) -> list[Factor]:
    """Every non-structural numeric value of ``scenarios`` as factors, in a
    stable order (scenarios in the order given, values in file order)."""
    found: dict[tuple[str, str], list[tuple[str, Distribution, bool]]] = {}
    for s in scenarios:
        for path, p in parameters(s).items():
            support = field_support(path)
            if support.fixed:  # years, lag, ramp: structure, not quantities
                continue
            if _timed_by_spread(s, path):
                continue
            key = ("", path) if p.shared else (s.id, path)
            found.setdefault(key, []).append((s.id, p.distribution, p.shared))
    by_id = {s.id: s for s in scenarios}
    out = []
    for (_, path), entries in found.items():
        members = tuple(e[0] for e in entries)
        support = field_support(path)
        everywhere = len(scenarios) > 1 and len(members) == len(scenarios)
        who = "all" if everywhere else ",".join(members)
        out.append(
            Factor(
                path=path,
                members=members,
                distributions=tuple(e[1] for e in entries),
                shared=entries[0][2],
                allowed=(support.low, support.high),
                unit=unit(by_id[members[0]], path),
                scenario=who,
                label=value_label(by_id[members[0]], path),
            )
        )
    return out


def labelled(frame: pd.DataFrame, found: Sequence[Factor]) -> pd.DataFrame:
    """``frame`` with a ``label`` column after ``path``: each row's readable
    name, looked up by its ``path`` and ``scenario`` among ``found``."""
    names = {(f.path, f.scenario): f.label for f in found}
    labels = [names.get((p, s), p) for p, s in zip(frame["path"], frame["scenario"], strict=True)]
    frame.insert(int(frame.columns.get_loc("path")) + 1, "label", labels)
    return frame


@dataclass(frozen=True)
class FactorGroup:
    """Factors that move together: values tied by ``correlations`` (connected
    through any chain of pairs), or one value on its own.

    members : tuple of int
        Indices of the factors, in factor order.
    correlation : numpy.ndarray
        Pearson correlations of the Gaussian copula among the members,
        ``(k, k)`` (``2 sin(pi rho / 6)`` of each declared rank correlation
        ``rho``; 0 for pairs not declared); the identity for one member.
    name : str
        The member's path for one value; for several, their paths with the
        parts that differ as ``*`` (e.g. ``"outcomes.*.probability"``).
    """

    members: tuple[int, ...]
    correlation: np.ndarray
    name: str

    @property
    def correlated(self) -> bool:
        """True when the group ties several values together."""
        return len(self.members) > 1


class GroupError(ValueError):
    """Correlations that do not make one valid joint distribution."""


def factor_groups(
    scenarios: list[Scenario], found: list[Factor], chosen: list[int]
) -> list[FactorGroup]:
    """The factors ``chosen`` (indices into ``found``) joined into groups by
    the scenarios' ``correlations``, in the order of each group's first member.

    A shared value is one factor, so a correlation that names it links the
    groups of every scenario that correlates it.

    Raises
    ------
    GroupError
        When two scenarios give one pair of factors different rank
        correlations, or the joined correlations are not a valid
        correlation matrix.
    """
    position = {i: k for k, i in enumerate(chosen)}
    owner: dict[tuple[str, str], int] = {}
    for i in chosen:
        for sid in found[i].members:
            owner[(sid, found[i].path)] = i
    parent = list(range(len(chosen)))

    def root(k: int) -> int:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    ranks: dict[tuple[int, int], float] = {}
    for s in scenarios:
        for c in s.correlations:
            a, b = (owner.get((s.id, p)) for p in c.between)
            if a is None or b is None or a == b:
                continue  # a fixed value: nothing to tie
            pair = (min(a, b), max(a, b))
            if pair in ranks and ranks[pair] != c.rank:
                raise GroupError(
                    f"{found[a].path} and {found[b].path} have rank correlation "
                    f"{ranks[pair]:g} in one scenario and {c.rank:g} in {s.id}; as one shared "
                    "value they need one correlation"
                )
            ranks[pair] = c.rank
            parent[root(position[a])] = root(position[b])
    members: dict[int, list[int]] = {}
    for i in chosen:
        members.setdefault(root(position[i]), []).append(i)
    groups = []
    for tied in sorted(members.values(), key=lambda m: m[0]):
        index = {i: k for k, i in enumerate(tied)}
        matrix = np.eye(len(tied))
        for (a, b), rank in ranks.items():
            if a in index and b in index:
                matrix[index[a], index[b]] = matrix[index[b], index[a]] = pearson_from_rank(rank)
        _through_shared(matrix, [found[i] for i in tied])
        if np.linalg.eigvalsh(matrix).min() < -1e-9:
            paths = ", ".join(found[i].path for i in tied)
            raise GroupError(f"the correlations among {paths} are not a valid correlation matrix")
        groups.append(FactorGroup(tuple(tied), matrix, group_name([found[i].path for i in tied])))
    return groups


def _through_shared(matrix: np.ndarray, members: list[Factor]) -> None:
    """Fill in, in place, the correlation of two values of different
    scenarios: they are tied only through the shared values of the group,
    each scenario drawing its own values independently given those, so
    ``C_ab = C_aS C_SS^+ C_Sb`` (the Gaussian copula's conditional
    independence; the run's draws follow it)."""
    shared = [k for k, f in enumerate(members) if f.shared]
    if not shared:
        return
    inverse = np.linalg.pinv(matrix[np.ix_(shared, shared)])
    local = [k for k, f in enumerate(members) if not f.shared]
    for x, k in enumerate(local):
        for m in local[x + 1 :]:
            if members[k].members != members[m].members:
                value = matrix[k, shared] @ inverse @ matrix[shared, m]
                matrix[k, m] = matrix[m, k] = value


def group_name(paths: list[str]) -> str:
    """One path, or a pattern of several with the parts that differ as ``*``.

    >>> group_name(["outcomes.a.probability", "outcomes.b.probability"])
    'outcomes.*.probability'
    >>> group_name(["effect.relative_risk", "costs.overhead_rate"])
    'effect.relative_risk + costs.overhead_rate'
    """
    distinct = list(dict.fromkeys(paths))
    if len(distinct) == 1:
        return distinct[0]
    split = [p.split(".") for p in distinct]
    if len({len(parts) for parts in split}) == 1:
        parts = [c[0] if len(set(c)) == 1 else "*" for c in zip(*split, strict=True)]
        if any(part != "*" for part in parts):
            return ".".join(parts)
    return " + ".join(distinct)


# --------------------------------------------------------------------------- fields


def _split(tp: Any) -> tuple[Any, list[Any]]:
    """The bare type without ``Optional`` and its ``Annotated`` metadata."""
    meta: list[Any] = []
    while True:
        origin = typing.get_origin(tp)
        if origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(tp) if a is not type(None)]
            tp = args[0]
        elif origin is typing.Annotated:
            tp, *extra = typing.get_args(tp)
            meta.extend(extra)
        else:
            return tp, meta


@cache
def _field(path: str) -> tuple[Support, str]:
    """The :class:`Support` and the description of the field at ``path``."""
    tp: Any = Scenario
    meta: list[Any] = []
    description = ""
    for segment in path_steps(path):
        tp, _ = _split(tp)
        origin = typing.get_origin(tp)
        if origin is dict:
            tp = typing.get_args(tp)[1]
        elif origin is list:
            tp = typing.get_args(tp)[0]
        elif isinstance(tp, type) and issubclass(tp, BaseModel):
            field = tp.model_fields[segment]
            tp, meta = field.annotation, list(field.metadata)
            description = field.description or description
        else:  # pragma: no cover - paths come from the scenario itself
            raise KeyError(f"no numeric field at {path!r}")
    _, extra = _split(tp)
    support = next((m for m in [*meta, *extra] if isinstance(m, Support)), None)
    if support is None:  # pragma: no cover - every numeric field declares one
        return Support("any number"), description
    return support, description


def field_support(path: str) -> Support:
    """What the field at ``path`` allows (bounds; fixed structural fields).

    >>> field_support("delivery.uptake").high
    1.0
    >>> field_support("outcomes.x.lag").fixed
    True
    """
    return _field(path)[0]


def unit(scenario: Scenario, path: str) -> str:
    """The unit of the value at ``path`` as the tables show it:
    :func:`~sroi.scenario.labels.value_unit`, and for a money value written
    at another price year than the scenario's, that year
    (``"GBP/hour at 2012-13 prices"``), since inputs are shown as written."""
    text = value_unit(scenario, path)
    money = money_values(scenario).get(path)
    if money is not None and (year := value_price_year(scenario, money)) != scenario.price_year:
        text += f" at {financial_year(year)} prices"
    return text


def finite_scale(factor: Factor) -> float:
    """A positive size for the value [unit]: the largest of its central value
    and plausible ends in absolute terms (1 when all are 0)."""
    ends = [*factor.central(), *factor.plausible(0.0)]
    scale = max(abs(x) for x in ends)
    return scale if scale > 0 and math.isfinite(scale) else 1.0
