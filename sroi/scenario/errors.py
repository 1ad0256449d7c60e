"""Turn pydantic validation errors into located, plain-language problems.

Each message says what was expected and what was found; an unknown key gets
a "did you mean" when a known key is close to it.
"""

from __future__ import annotations

import math
import re
import types
import typing
from typing import Any, Union

from pydantic import BaseModel, ValidationError

from sroi.scenario.problems import Clash, Mark, Problem, dotted
from sroi.scenario.values import Support, Value, describe
from sroi.scenario.yamlio import Document, Path_, yaml11_hint
from sroi.text import describe_character

#: Most problems reported for one file; a hostile file may have tens of thousands.
MAX_PROBLEMS = 200

_TYPE_WORDS = {
    "float_type": "a number",
    "float_parsing": "a number",
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "int_from_float": "a whole number",
    "string_type": "text",
    "bool_type": "true or false",
    "dict_type": "a mapping",
    "model_type": "a mapping",
    "model_attributes_type": "a mapping",
    "list_type": "a list",
    "tuple_type": "a list",
}


def did_you_mean(word: str, choices: typing.Iterable[str]) -> str:
    """``"; did you mean 'x'?"`` for the closest choice, or an empty string."""
    by_lower = {c.lower(): c for c in choices}
    import difflib  # only when a problem is reported

    close = difflib.get_close_matches(word.lower(), list(by_lower), n=1, cutoff=0.6)
    return f"; did you mean {by_lower[close[0]]!r}?" if close else ""


def _unwrap(tp: Any) -> Any:
    while True:
        origin = typing.get_origin(tp)
        if origin is typing.Annotated:
            tp = typing.get_args(tp)[0]
        elif origin in (Union, types.UnionType):
            args = [a for a in typing.get_args(tp) if a is not type(None)]
            tp = args[0]
        else:
            return tp


def _model_at(root: type[BaseModel], loc: Path_) -> type[BaseModel] | None:
    """The model class that validates the mapping at ``loc``, if any."""
    tp: Any = root
    for part in loc:
        tp = _unwrap(tp)
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            field = tp.model_fields.get(str(part))
            if field is None:
                return None
            tp = field.annotation
        elif typing.get_origin(tp) is dict:
            tp = typing.get_args(tp)[1]
        elif typing.get_origin(tp) is list:
            tp = typing.get_args(tp)[0]
        else:
            return None
    tp = _unwrap(tp)
    return tp if isinstance(tp, type) and issubclass(tp, BaseModel) else None


def is_unknown_key(root: type[BaseModel], loc: Path_, key: str) -> bool:
    """Whether the mapping at ``loc`` is validated by a model that has no
    field ``key`` (and allows no other keys): ``key`` is unknown there."""
    model = _model_at(root, loc)
    return (
        model is not None
        and model.model_config.get("extra") == "forbid"
        and key not in model.model_fields
    )


def _money_fields(model: type[BaseModel]) -> list[str]:
    """The fields of ``model`` that hold money (they may carry a price_year)."""
    return [
        name
        for name, field in model.model_fields.items()
        if any(isinstance(m, Support) and m.money for m in field.metadata)
    ]


def problems_from_validation(
    exc: ValidationError, doc: Document, root: type[BaseModel]
) -> list[Problem]:
    """One :class:`Problem` per pydantic error, located in ``doc``; past
    :data:`MAX_PROBLEMS`, one more that says how many were left out."""
    problems = []
    seen: set[tuple[Path_, str]] = set()
    errors = exc.errors(include_url=False)
    if len(errors) > MAX_PROBLEMS:
        left = len(errors) - MAX_PROBLEMS
        errors = errors[:MAX_PROBLEMS]
        problems.append(
            Problem(
                doc.mark(()),
                dotted(()),
                f"{left:,} more problem(s) not shown; fix those above and validate again",
            )
        )
    for err in errors:
        loc: Path_ = tuple(p for p in err["loc"] if p != "[key]")
        key_error = len(loc) != len(err["loc"])
        if loc[-1:] == ("value",) and loc not in doc.values and loc[:-1] in doc.values:
            loc = loc[:-1]  # a bare number, read as {value: x}
        message = _message(err, loc, root) + _inherited(err, loc, doc)
        if (loc, message) in seen:
            continue
        seen.add((loc, message))
        problems.append(Problem(_where(err, loc, key_error, doc, root), dotted(loc), message))
    return problems


def _inherited(err: Any, loc: Path_, doc: Document) -> str:
    """For a rule broken by keys set together (:class:`Clash`) in a mapping
    ``doc``'s own file writes, where each of the keys that the file inherits
    through ``extends`` is written, and how to drop it; else ``""``."""
    clash = (err.get("ctx") or {}).get("error")
    if err["type"] != "value_error" or not isinstance(clash, Clash):
        return ""
    holder = loc[:-1] if clash.sibling else loc
    own = doc.keys.get(loc if clash.sibling else holder)
    if own is None or own.file != doc.file:
        return ""  # the clash is the parent's own: reported there
    out = ""
    for key in clash.keys:
        mark = doc.keys.get((*holder, key))
        if mark is None or mark.file == doc.file:
            continue
        under = f" under {dotted(holder)}" if holder else ""
        out += (
            f"; {key} is inherited (through extends) from {mark.file}:{mark.line}; "
            f"to drop it, write `{key}: null`{under} in this file"
        )
    return out


def _where(err: Any, loc: Path_, key_error: bool, doc: Document, root: type[BaseModel]) -> Mark:
    """Where to point for an error: an unknown key at the key; a missing key at
    the `null` that removed it, else at the key of the mapping that lacks it; a
    rule over a whole section (effect, discounting) at the section's key; any
    other error at the value."""
    kind = err["type"]
    if key_error or kind == "extra_forbidden":
        return doc.mark(loc, key=True)
    if kind == "missing":
        return doc.values.get(loc) or doc.mark(loc[:-1], key=True)
    if kind == "value_error":
        model = _model_at(root, loc)
        if model is not None and not issubclass(model, Value):
            return doc.mark(loc, key=True)
    return doc.mark(loc)


#: Error kinds where a number was expected.
_NUMBER_KINDS = {"float_type", "float_parsing", "int_type", "int_parsing", "value_error"}


def _message(err: Any, loc: Path_, root: type[BaseModel]) -> str:
    message = _plain_message(err, loc, root)
    found = err.get("input")
    whole = err["type"] in ("int_type", "int_from_float") and isinstance(found, float)
    if whole and found.is_integer() and abs(found) < 1e15:
        message += f"; write it without a decimal point, as {int(found)}"
    if isinstance(found, str):
        if err["type"] == "bool_type":
            message += yaml11_hint(found, "bool")
        elif err["type"] in _NUMBER_KINDS and "number" in message:
            message += yaml11_hint(found) or number_text_hint(found, loc)
        elif err["type"] in ("list_type", "tuple_type") and "," in found:
            items = ", ".join(p.strip() for p in found.strip().strip("()").split(","))
            message += f"; write the list in brackets: [{items}]"
    return message


# Patterns of the hints below, compiled on first use (re caches them): a
# file without mistakes never needs them.
_PERCENT = r"^\s*([-+]?(?:\d+(?:\.\d*)?|\.\d+))\s*%\s*$"
_THOUSANDS = r"^[-+]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$"
_CURRENCY = r"^\s*([-+]?)\s*(?:[£$€¥]|GBP|EUR|USD)\s*([-+]?[\d,]*\.?\d+)\s*$"
_SUFFIXED = r"(?i)^\s*([£$€]?)\s*(\d+(?:\.\d+)?)\s*(k|m|bn)\s*$"
_FINANCIAL_YEAR = r"^\s*((?:19|20)\d\d)\s*[-/–]\s*(\d\d|\d{4})\s*$"


def number_text_hint(text: str, loc: Path_ = ()) -> str:
    """For text written where a number belongs, what to write instead when
    the text is a number written as a person would (``62%``, ``32,500``,
    ``£32,500``, a financial year ``2024-25`` for a ``price_year``, ``"110"``
    in quotes); else ``""``.

    >>> number_text_hint("62%")
    '; for 62%, write 0.62'
    >>> number_text_hint("32,500")
    '; write numbers without thousands separators: 32500'
    >>> number_text_hint("2024-25", ("price_year",))
    '; a price year is the calendar year its financial year starts in: for 2024-25, write 2024'
    """
    if loc[-1:] == ("price_year",) and (m := re.match(_FINANCIAL_YEAR, text)):
        return (
            "; a price year is the calendar year its financial year starts in: "
            f"for {text.strip()}, write {m[1]}"
        )
    if m := re.match(_PERCENT, text):
        return f"; for {m[1]}%, write {_fraction(float(m[1]))}"
    if m := re.match(_CURRENCY, text):
        number = m[1] + m[2].replace(",", "")
        return (
            "; write the number alone, without the currency sign or commas: "
            f"{number} (the currency is set once, by `currency`)"
        )
    if m := re.match(_SUFFIXED, text):
        full = float(m[2]) * {"k": 1e3, "m": 1e6, "bn": 1e9}[m[3].lower()]
        sign = ", without the currency sign" if m[1] else ""
        return f"; write the number in full{sign}: {full:.15g}"
    if re.match(_THOUSANDS, text.strip()):
        return f"; write numbers without thousands separators: {text.strip().replace(',', '')}"
    joined = "".join(text.split())  # every kind of space, the no-break ones too
    if joined != text.strip() and _is_number(joined):
        gap = next(c for c in text.strip() if c.isspace())
        named = "" if gap == " " else f" (here {describe_character(gap)})"
        return f"; write numbers without spaces between the digits{named}: {joined}"
    try:
        number = float(text)
    except ValueError:
        return ""
    if not math.isfinite(number):
        return ""
    stray = next((c for c in text if not c.isascii()), None)
    if stray is not None:
        # A no-break space or full-width digits, pasted from a document: Python
        # reads them as a number, YAML does not.
        written = f"{number:.15g}"
        return (
            f"; it holds the character {describe_character(stray)}, which a number "
            f"cannot: write {written}"
        )
    return f"; remove the quotes: a number in quotes is text, so write {text.strip()}"


def _is_number(text: str) -> bool:
    try:
        return math.isfinite(float(text))
    except ValueError:
        return False


def _fraction(percent: float) -> str:
    """``62`` -> ``"0.62"``: a percentage as the fraction to write."""
    return f"{round(percent / 100, 12):g}" if abs(percent) >= 1e-4 else repr(percent / 100)


def _plain_message(err: Any, loc: Path_, root: type[BaseModel]) -> str:
    kind: str = err["type"]
    found = err.get("input")
    ctx = err.get("ctx") or {}
    if kind == "extra_forbidden":
        name = str(loc[-1])
        model = _model_at(root, loc[:-1])
        allowed = sorted(model.model_fields) if model else []
        money = _money_fields(model) if model is not None else []
        if name == "price_year" and money:
            where = " or ".join(f"{m}: {{value: ..., price_year: ...}}" for m in money)
            return f"unknown key 'price_year'; price_year goes on the money value: {where}"
        hint = did_you_mean(name, allowed)
        if not hint and allowed:
            hint = "; expected one of: " + ", ".join(allowed)
        return f"unknown key {name!r}{hint}"
    if kind == "missing":
        return f"required key {str(loc[-1])!r} is missing"
    if kind == "value_error":
        text = str(err["msg"])
        return text.removeprefix("Value error, ")
    if kind == "finite_number":
        return f"expected a finite number; found {describe(found)}"
    if kind == "literal_error":
        expected = str(ctx.get("expected", ""))
        options = [o.strip().strip("'") for o in expected.replace(" or ", ", ").split(",")]
        hint = did_you_mean(str(found), options) if isinstance(found, str) else ""
        return f"expected one of {expected}; found {describe(found)}{hint}"
    if kind == "string_pattern_mismatch" and ctx.get("pattern") == "^[A-Z]{3}$":
        return (
            f"expected a three-letter currency code in capitals, e.g. GBP; found {describe(found)}"
        )
    if kind == "string_pattern_mismatch":
        return (
            "expected a snake_case id (a-z, 0-9 and _, starting with a letter a-z); found "
            f"{describe(found)}"
            if "a-z" in str(ctx.get("pattern", "")) and "A-Z" not in str(ctx.get("pattern", ""))
            else f"expected text matching {ctx.get('pattern')}; found {describe(found)}"
        )
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        op = {
            "greater_than_equal": ">=",
            "less_than_equal": "<=",
            "greater_than": ">",
            "less_than": "<",
        }[kind]
        bound = next(iter(ctx.values()), "")
        return f"expected a number {op} {bound}; found {describe(found)}"
    if kind in ("too_short", "too_long"):
        return (
            f"expected {ctx.get('min_length', ctx.get('max_length'))} item(s); "
            f"found {describe(found)}"
        )
    if kind in _TYPE_WORDS:
        return f"expected {_TYPE_WORDS[kind]}; found {describe(found)}"
    return f"{err['msg']}; found {describe(found)}"
