"""Analyses built on runs: sensitivity, value of information, comparisons of
sites and proposals, and replication in a new area.

Each analysis is two steps, as in SALib: collect the model's outputs once,
then hand the arrays to pure estimators that never run the model.  Monte
Carlo analyses (``compare``, ``voi``) collect the draws of ``sroi.run`` with
:func:`sroi.analysis.collect.collect`; designed experiments (``oneway``,
``breakeven``, ``sobol``) design their settings and evaluate them with
:class:`sroi.analysis.subject.Subject`.  Analyses return pandas DataFrames or
small result objects; none prints.
"""
