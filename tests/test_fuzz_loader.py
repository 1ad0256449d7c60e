"""Fuzz the loader: random YAML trees built from the scenario language's own
keys, with hostile scalars, grafted into a valid scenario.

Property: ``sroi validate`` exits 0 or 2, never with an internal error or a
traceback, and answers within :data:`TIME_LIMIT` seconds a file.
"""

from __future__ import annotations

import contextlib
import io
import json
import tempfile
import time
import typing
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from sroi.cli.main import main
from sroi.scenario.model import Scenario
from sroi.scenario.values import DISTRIBUTION_KEYS

CORPUS = Path(__file__).parent / "corpus"
BASE: dict[str, Any] = yaml.safe_load((CORPUS / "_base.yaml").read_text(encoding="utf-8"))
#: Seconds one file may take to validate, in-process.
TIME_LIMIT = 2.0


def _model_keys(model: type[BaseModel], seen: set[type] | None = None) -> set[str]:
    """Every key of ``model`` and the models below it."""
    seen = seen if seen is not None else set()
    if model in seen:
        return set()
    seen.add(model)
    keys = set(model.model_fields)
    for field in model.model_fields.values():
        stack: list[Any] = [field.annotation]
        while stack:
            tp = stack.pop()
            if isinstance(tp, type) and issubclass(tp, BaseModel):
                keys |= _model_keys(tp, seen)
            stack.extend(typing.get_args(tp))
    return keys


KEYS = sorted(_model_keys(Scenario) | set(DISTRIBUTION_KEYS) | {"<<", "extends", "x" * 300})


class Raw(str):
    """A scalar written into the YAML exactly as it is (tags, YAML 1.1 forms)."""


RAW = [
    "010", "0b101", "1:30", "1_000", "1e3", ".inf", "-.inf", ".nan", "yes", "no", "~",
    "0x1F", "0o17", "1e308", "-1e308", "1e-320", "99999999999999999999999", "true",
    "2024-01-01", "!!python/object/apply:os.system ['echo pwned']", "!!binary aGk=",
    "!!str 5", "!!int abc", "!!float x", "!!set {a: 1}", "*undefined", '"\\x01\\x7f"',
    '"\\u202e\\u0000"', "'=cmd|'' /C calc''!A0'", '"$\\\\undefined$"', "&anchor 5", "-0",
]  # fmt: skip

scalars = st.one_of(
    st.sampled_from(RAW).map(Raw),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=30),
    st.sampled_from(KEYS),
    st.booleans(),
    st.none(),
)
trees = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=5),
        st.dictionaries(st.sampled_from(KEYS), children, max_size=6),
    ),
    max_leaves=25,
)


def emit(x: Any) -> str:
    """Flow-style YAML for ``x``; :class:`Raw` scalars go in as written."""
    if isinstance(x, Raw):
        return str(x)
    if isinstance(x, dict):
        return "{" + ", ".join(f"{json.dumps(k)}: {emit(v)}" for k, v in x.items()) + "}"
    if isinstance(x, list):
        return "[" + ", ".join(emit(v) for v in x) + "]"
    if x is None:
        return "null"
    if isinstance(x, bool):
        return "true" if x else "false"
    if isinstance(x, (int, float)):
        return repr(x)
    return json.dumps(x)


def graft(base: Any, path: list[int], tree: Any) -> Any:
    """``base`` with the entry that ``path`` leads to replaced by ``tree``."""
    if not path or not isinstance(base, (dict, list)) or not base:
        return tree
    out: Any = dict(base) if isinstance(base, dict) else list(base)
    keys = list(out) if isinstance(out, dict) else list(range(len(out)))
    key = keys[path[0] % len(keys)]
    out[key] = graft(out[key], path[1:], tree)
    return out


def validate(text: str) -> tuple[int, str, float]:
    """Exit status, stderr and seconds of ``sroi validate`` on ``text``."""
    with tempfile.TemporaryDirectory() as folder:
        file = Path(folder) / "fuzz.yaml"
        file.write_text(text, encoding="utf-8")
        err, out = io.StringIO(), io.StringIO()
        start = time.perf_counter()
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
            status = main(["validate", str(file)])
        return status, err.getvalue(), time.perf_counter() - start


def check(text: str) -> None:
    status, err, seconds = validate(text)
    assert status in (0, 2), f"exit {status}\n{err}\n--- file ---\n{text}"
    assert "internal error" not in err and "Traceback" not in err, f"{err}\n--- file ---\n{text}"
    assert seconds < TIME_LIMIT, f"took {seconds:.2f} s\n--- file ---\n{text}"


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(path=st.lists(st.integers(min_value=0, max_value=50), max_size=5), tree=trees)
@example(path=[0], tree=Raw("!!python/object/apply:os.system ['echo pwned']"))
@example(path=[3], tree={"value": Raw("1:30")})
@example(path=[], tree=[Raw("*undefined")])
@example(path=[11, 0, 0, 0], tree=[])  # a correlation naming a list: once an internal error
def test_a_grafted_scenario_is_valid_or_refused_cleanly(path: list[int], tree: Any) -> None:
    check(emit(graft(BASE, path, tree)))


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(tree=trees)
def test_any_tree_is_valid_or_refused_cleanly(tree: Any) -> None:
    check(emit(tree))
