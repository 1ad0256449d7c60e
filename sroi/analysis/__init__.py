"""Analyses built on runs: sensitivity, value of information, comparisons of
sites and proposals, and replication in a new area.

Each module takes scenarios (files, folders or loaded :class:`~sroi.Scenario`
objects), runs the engine, and returns pandas DataFrames; none prints.
"""
