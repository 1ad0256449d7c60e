"""The field reference ``docs/scenarios.md`` is generated from the models and
kept in step with them."""

from __future__ import annotations

import importlib.util
import re
import sys
import typing
from pathlib import Path
from types import ModuleType

from pydantic import BaseModel

from sroi.scenario.model import Payer, ValueType
from sroi.scenario.values import DISTRIBUTION_KEYS, Value
from sroi.vocabulary import PAYERS, VALUE_TYPES

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "scenarios.md"
BUILD_SCRIPT = ROOT / "tools" / "build_reference.py"


def _load_build_script() -> ModuleType:
    """``tools/build_reference.py``, a script outside the package, as a module."""
    spec = importlib.util.spec_from_file_location("build_reference", BUILD_SCRIPT)
    assert spec is not None and spec.loader is not None, BUILD_SCRIPT
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up here
    spec.loader.exec_module(module)
    return module


reference = _load_build_script()


def test_committed_reference_is_current() -> None:
    assert DOC.is_file(), f"docs/scenarios.md is missing; regenerate it: {reference.REGENERATE}"
    assert DOC.read_text(encoding="utf-8") == reference.reference_markdown(), (
        f"docs/scenarios.md differs from the scenario models; regenerate it: {reference.REGENERATE}"
    )


def _models() -> typing.Iterator[type[BaseModel]]:
    for section in reference._sections():
        yield section.model


def test_every_field_documented_with_what_it_accepts() -> None:
    text = reference.reference_markdown()
    for model in _models():
        for name, field in model.model_fields.items():
            assert f"| `{name}` | {field.description}" in text, f"{model.__name__}.{name}"
    rows = [line for line in text.splitlines() if line.startswith("| `")]
    for row in rows:
        cells = [c.strip() for c in row.strip("|").split(" | ")]
        assert all(cells), f"empty cell in {row!r}"


def test_every_numeric_field_has_a_support_label() -> None:
    for model in _models():
        for name, field in model.model_fields.items():
            annotation, metadata = field.annotation, list(field.metadata)
            tp, _ = reference._split(annotation)
            if typing.get_origin(tp) is list:
                annotation, metadata = typing.get_args(tp)[0], []
                tp, _ = reference._split(annotation)
            if tp is Value:
                support = reference._support(annotation, metadata)
                assert support is not None, f"{model.__name__}.{name} has no Support label"


def test_value_forms_and_enums_listed() -> None:
    text = reference.reference_markdown()
    for key in DISTRIBUTION_KEYS:
        assert f"| `{key}` |" in text
    for word in (*PAYERS, *VALUE_TYPES, "volunteer_recruited", "case_averted", "assumption"):
        assert f"| `{word}` |" in text
    assert typing.get_args(Payer) == tuple(PAYERS), "the reference says results follow this order"
    assert typing.get_args(ValueType) == tuple(VALUE_TYPES)


def test_internal_links_resolve() -> None:
    text = reference.reference_markdown()
    headings = {reference._slug(m) for m in re.findall(r"^#+ (.+)$", text, flags=re.M)}
    for anchor in re.findall(r"\]\(#([^)]+)\)", text):
        assert anchor in headings, f"link to #{anchor} has no heading"


def test_contributing_regenerates_with_the_real_commands() -> None:
    """docs/contributing.md's commands to regenerate the generated files name
    a script and a command that exist (a wrong one would empty the page it
    redirects into)."""
    text = (ROOT / "docs" / "contributing.md").read_text(encoding="utf-8")
    block = re.search(r"```text\n(\./run sroi schema.*?)```", text, flags=re.S)
    assert block, "docs/contributing.md lost its commands to regenerate the generated files"
    lines = block.group(1).splitlines()
    assert "./run sroi schema > scenarios/scenario.schema.json" in lines
    assert f"./run {reference.REGENERATE}" in lines
    tests = next(line for line in lines if line.startswith("./run pytest")).split()
    for name in (word for word in tests if word.startswith("tests/")):
        assert (ROOT / name).is_file(), name
