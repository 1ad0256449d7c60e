"""Every input value of a scenario with its provenance, for tables an auditor reads.

:func:`~sroi.scenario.model.scenario_values` gives the whole
:class:`~sroi.scenario.values.Value` (source, evidence, note) at each dotted
path.
"""

from __future__ import annotations

from dataclasses import dataclass

from sroi.scenario.labels import value_label
from sroi.scenario.model import Scenario, scenario_values
from sroi.scenario.money import price_factors, value_price_year
from sroi.scenario.values import Value


def _numbers(xs: list[float]) -> str:
    return "[" + ", ".join(f"{x:g}" for x in xs) + "]"


def describe(value: Value) -> str:
    """The value as written in the scenario file, in short.

    >>> describe(Value(pert=[0.4, 0.65, 0.85])), describe(Value(value=3))
    ('PERT [0.4, 0.65, 0.85]', 'fixed 3')
    >>> describe(Value(beta={"successes": 20, "trials": 37}))
    'beta (20 of 37)'
    """
    if value.value is not None:
        return f"fixed {value.value:g}"
    if value.uniform is not None:
        return f"uniform {_numbers(value.uniform)}"
    if value.triangular is not None:
        return f"triangular {_numbers(value.triangular)}"
    if value.pert is not None:
        return f"PERT {_numbers(value.pert)}"
    if value.range90 is not None:
        return f"90% range {_numbers(value.range90)} (lognormal)"
    if value.normal is not None:
        n = value.normal
        bounds = ""
        if n.min is not None or n.max is not None:
            lo = "-inf" if n.min is None else f"{n.min:g}"
            hi = "inf" if n.max is None else f"{n.max:g}"
            bounds = f" on [{lo}, {hi}]"
        return f"normal (mean {n.mean:g}, sd {n.sd:g}){bounds}"
    if value.lognormal is not None:
        return f"lognormal (mean {value.lognormal.mean:g}, sd {value.lognormal.sd:g})"
    if value.gamma is not None:
        return f"gamma (mean {value.gamma.mean:g}, sd {value.gamma.sd:g})"
    b = value.beta
    assert b is not None
    if b.successes is not None:
        return f"beta ({b.successes:g} of {b.trials:g})"
    return f"beta (mean {b.mean:g}, sd {b.sd:g})"


@dataclass(frozen=True)
class InputRow:
    """One input value of one scenario, as an auditor reads it.

    label : str
        The value's readable name (:func:`~sroi.scenario.labels.value_label`).
    central, p5, p95 : float
        Base-case value and the 5th and 95th percentiles of its distribution,
        as written [unit of the field]; p5 = p95 = central for a fixed value.
    price_year : int or None
        For a money value, the financial year whose prices it is written in;
        None for any other value.
    factor : float
        What the engine multiplies the value by to put it at the scenario's
        price year [ratio]; 1 for a value that is not money.
    used : float
        The base-case value the engine uses: ``central * factor``.
    """

    scenario: str
    path: str
    distribution: str
    central: float
    p5: float
    p95: float
    fixed: bool
    shared: bool
    evidence: str | None
    source: str | None
    note: str | None
    label: str = ""
    price_year: int | None = None
    factor: float = 1.0

    @property
    def used(self) -> float:
        """Base-case value at the scenario's price year [unit of the field]."""
        return self.central * self.factor


def interval(value: Value) -> tuple[float, float]:
    """5th and 95th percentiles of a value's distribution [unit of the field]."""
    dist = value.distribution()
    if dist.is_fixed:
        return dist.central(), dist.central()
    p5, p95 = dist.ppf([0.05, 0.95])
    return float(p5), float(p95)


def input_rows(scenario: Scenario) -> list[InputRow]:
    """Every input value of ``scenario`` with its distribution and provenance."""
    rows = []
    factors = price_factors(scenario)
    for path, value in scenario_values(scenario).items():
        p5, p95 = interval(value)
        rows.append(
            InputRow(
                scenario=scenario.id,
                path=path,
                distribution=describe(value),
                central=value.central(),
                p5=p5,
                p95=p95,
                fixed=value.is_fixed,
                shared=value.shared,
                evidence=value.evidence,
                source=value.source,
                note=" ".join(value.note.split()) if value.note else None,
                label=value_label(scenario, path),
                price_year=value_price_year(scenario, value) if path in factors else None,
                factor=factors.get(path, 1.0),
            )
        )
    return rows
