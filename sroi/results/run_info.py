"""What identifies a run: the package version, the seed, the draws, how they
were drawn, and the scenario files (with their SHA-256).

Every run header and JSON document (``sroi run``, ``sroi compare``, value of
information, the report's manifest) reads these fields from one
:class:`RunInfo`, so they cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sroi._version import __version__
from sroi.engine.precision import Precision
from sroi.text import draws_count

#: How the draws are made unless asked otherwise: independent pseudo-random
#: streams per value (with a Gaussian copula for correlated values).  The
#: others are ``"sobol"`` and ``"lhs"`` (:mod:`sroi.sampling.quasi`).
DEFAULT_SAMPLER = "random"
#: Whose costs and benefits count unless another perspective is asked for
#: (:data:`sroi.vocabulary.PERSPECTIVES`): society as a whole.
DEFAULT_PERSPECTIVE = "society"


@dataclass(frozen=True)
class ScenarioInfo:
    """Identity of one scenario in a run.

    id, name : str
        Scenario id and display name.
    file : str or None
        The file it was loaded from (None for a scenario built in Python).
    sha256 : str or None
        SHA-256 of the file's bytes.
    currency : str
        Currency of every money value, e.g. ``"GBP"``.
    price_year : int
        Price year of every money value.
    extends : tuple of (str, str)
        Each file the scenario's file extends, in turn (its parent, then
        that file's parent, ...), with the SHA-256 of its bytes: they hold
        inputs too, so reproducing a run needs the same bytes in each.
    """

    id: str
    name: str
    file: str | None
    sha256: str | None
    currency: str
    price_year: int
    extends: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class RunInfo:
    """Identity of one run: enough to rerun it and check the result is the same.

    Examples
    --------
    >>> info = ScenarioInfo("a", "Site A", None, None, "GBP", 2011)
    >>> run = RunInfo(seed=3, draws=1000, scenarios=(info,))
    >>> list(run.header(method="voi"))
    ['sroi_version', 'method', 'seed', 'draws', 'sampler', 'perspective']
    >>> run.currency, run.price_year, run.sampler, run.perspective
    ('GBP', 2011, 'random', 'society')
    """

    #: Run seed (None: the run used no random numbers, as in a one-way or
    #: break-even analysis, or the caller passed a numpy Generator).
    seed: int | None
    #: Monte Carlo draws N (0: base case only, or a designed experiment).
    draws: int
    #: The scenarios, in run (id) order, with their files and SHA-256.
    scenarios: tuple[ScenarioInfo, ...]
    #: Package version that made the run.
    version: str = __version__
    #: How the draws were made (:data:`DEFAULT_SAMPLER`).
    sampler: str = DEFAULT_SAMPLER
    #: Whose value and which cost the headline counts: an id of
    #: :data:`sroi.vocabulary.PERSPECTIVES` (:data:`DEFAULT_PERSPECTIVE`).
    perspective: str = DEFAULT_PERSPECTIVE
    #: What the stopping rule achieved, when the run had one (``draws`` is
    #: then the number it took).
    precision: Precision | None = None

    @property
    def currency(self) -> str:
        """Currency of money values (that of the first scenario; a run's
        scenarios share one)."""
        return self.scenarios[0].currency if self.scenarios else "GBP"

    @property
    def price_year(self) -> int:
        """Price year of money values (that of the first scenario)."""
        return self.scenarios[0].price_year

    @property
    def file_hashes(self) -> dict[str, str | None]:
        """Scenario id -> SHA-256 of its file (None for a scenario built in Python)."""
        return {s.id: s.sha256 for s in self.scenarios}

    def header(
        self, method: str | None = None, money: bool = False, files: bool = False
    ) -> dict[str, Any]:
        """The leading fields of a JSON document: ``sroi_version``, ``method``
        (when given), ``seed``, ``draws``, ``sampler``, ``perspective``,
        ``precision`` (when the run had a stopping rule), with ``money`` the
        ``currency`` and ``price_year``, and with ``files`` the ``files``:
        scenario id -> ``{"file", "sha256", "extends"}`` (None for a scenario
        built in Python; ``extends`` lists the files it extends, each as
        ``{"file", "sha256"}``)."""
        out: dict[str, Any] = {"sroi_version": self.version}
        if method is not None:
            out["method"] = method
        out.update(
            seed=self.seed, draws=self.draws, sampler=self.sampler, perspective=self.perspective
        )
        if self.precision is not None:
            out["precision"] = self.precision.to_dict()
        if money:
            out.update(currency=self.currency, price_year=self.price_year)
        if files:
            out["files"] = {
                s.id: {"file": s.file, "sha256": s.sha256, "extends": extends_entries(s)}
                for s in self.scenarios
            }
        return out


def extends_entries(info: ScenarioInfo) -> list[dict[str, str]]:
    """The files ``info``'s file extends, as JSON gives them:
    ``[{"file", "sha256"}, ...]``, parent first."""
    return [{"file": file, "sha256": digest} for file, digest in info.extends]


#: Most scenario ids a result's repr lists.
_REPR_IDS = 8


class RunFields:
    """The run's identity read off its :class:`RunInfo`, for a result that
    holds one as ``run`` (:class:`~sroi.results.results.Results`, a
    comparison, a value-of-information result): ``version``, ``seed``,
    ``draws``, ``sampler``, ``perspective``, ``currency`` and ``price_year``.

    Examples
    --------
    >>> from dataclasses import dataclass
    >>> @dataclass(frozen=True)
    ... class Found(RunFields):
    ...     run: RunInfo
    >>> info = ScenarioInfo("a", "Site A", None, None, "GBP", 2011)
    >>> found = Found(RunInfo(seed=3, draws=1000, scenarios=(info,)))
    >>> found.seed, found.draws, found.currency, found.price_year
    (3, 1000, 'GBP', 2011)
    """

    #: What identifies the run: version, seed, draws N, scenario files.
    run: RunInfo

    def __repr__(self) -> str:
        """A few lines saying what was run (the arrays it holds are left out;
        a result class keeps this one with ``@dataclass(repr=False)``)."""
        run = self.run
        ids = [s.id for s in run.scenarios]
        shown = ", ".join(ids[:_REPR_IDS]) + (", ..." if len(ids) > _REPR_IDS else "")
        many = "scenario" if len(ids) == 1 else "scenarios"
        draws = "base case only" if run.draws == 0 else f"{draws_count(run.draws)} ({run.sampler})"
        seed = "" if run.seed is None else f", seed {run.seed}"
        lines = [
            f"<{type(self).__name__} of sroi {run.version}: {len(ids)} {many} ({shown})",
            f"  {draws}{seed}; perspective {run.perspective}",
        ]
        if ids:
            year = run.price_year
            lines.append(f"  money in {run.currency} at FY {year}-{(year + 1) % 100:02d} prices")
        if run.precision is not None and run.precision.target is not None:
            met = "met" if run.precision.met else "not met"
            lines.append(f"  precision target {run.precision.target:g} ({met})")
        return "\n".join(lines) + ">"

    @property
    def version(self) -> str:
        """Package version that produced the results."""
        return self.run.version

    @property
    def seed(self) -> int | None:
        """Run seed (fixes every random number of the run; None when it used none)."""
        return self.run.seed

    @property
    def draws(self) -> int:
        """Monte Carlo draws N [draws] (0: base case only)."""
        return self.run.draws

    @property
    def sampler(self) -> str:
        """How the draws were made: ``random``, ``sobol`` or ``lhs``."""
        return self.run.sampler

    @property
    def perspective(self) -> str:
        """Whose value and which cost the headline or ranking counts: an id of
        :data:`sroi.vocabulary.PERSPECTIVES` (``--perspective``)."""
        return self.run.perspective

    @property
    def currency(self) -> str:
        """Currency of money values, e.g. ``"GBP"`` (the scenarios share one)."""
        return self.run.currency

    @property
    def price_year(self) -> int:
        """Price year of money values [calendar year] (the scenarios share one)."""
        return self.run.price_year
