"""The switch between skipping and failing when an external program is missing."""

from __future__ import annotations

import pytest
from external import REQUIRE, missing, module, program, required


@pytest.mark.parametrize(
    ("value", "expected"), [("", False), ("0", False), ("1", True), ("yes", True)]
)
def test_required_reads_the_environment(
    monkeypatch: pytest.MonkeyPatch, value: str, expected: bool
) -> None:
    monkeypatch.setenv(REQUIRE, value)
    assert required() is expected


def test_missing_program_skips_locally(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(REQUIRE, raising=False)
    with pytest.raises(pytest.skip.Exception, match="no-such-program is not installed: apt"):
        program("no-such-program", install="apt-get install it")


def test_missing_program_fails_when_required(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(REQUIRE, "1")
    with pytest.raises(pytest.fail.Exception, match=f"{REQUIRE}=1 makes this a failure"):
        program("no-such-program", install="apt-get install it")
    with pytest.raises(pytest.fail.Exception, match="no_such_module"):
        module("no_such_module", install="pip install it")
    with pytest.raises(pytest.fail.Exception):
        missing("anything")


def test_present_program_and_module_are_returned(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(REQUIRE, "1")
    assert program("no-such-program", "sh", install="-").endswith("sh")
    assert module("json", install="-").__name__ == "json"
