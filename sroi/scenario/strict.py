"""Small types that hold scenario text to what the docs promise.

* ``schema_version`` is the whole number 1, never ``true``;
* ``currency`` is an ISO 4217 code (:data:`ISO_4217`);
* a source's ``url`` is an ``http`` or ``https`` address, so no other scheme
  (``javascript:``, ``file:``, ``data:``) can reach a link in a report;
* no text holds a control character (ESC, BEL, CR, ...; YAML can write any
  of them as an escape such as ``"\\e"``), except line breaks and tabs in
  free text such as notes (:func:`printable_text`); a name or label
  (:data:`Line`) is one line, without even those.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import AfterValidator, BeforeValidator, StringConstraints

from sroi.limits import MAX_ID_CHARS, MAX_LINE_CHARS
from sroi.text import control_character, describe_character

#: Active ISO 4217 currency codes, from the iso-codes data of Debian
#: (iso-codes 4.15.0, ``iso_4217.json``), less XTS (reserved for testing) and
#: XXX (no currency).
ISO_4217: frozenset[str] = frozenset(
    (
        "AED",
        "AFN",
        "ALL",
        "AMD",
        "ANG",
        "AOA",
        "ARS",
        "AUD",
        "AWG",
        "AZN",
        "BAM",
        "BBD",
        "BDT",
        "BGN",
        "BHD",
        "BIF",
        "BMD",
        "BND",
        "BOB",
        "BOV",
        "BRL",
        "BSD",
        "BTN",
        "BWP",
        "BYN",
        "BZD",
        "CAD",
        "CDF",
        "CHE",
        "CHF",
        "CHW",
        "CLF",
        "CLP",
        "CNY",
        "COP",
        "COU",
        "CRC",
        "CUC",
        "CUP",
        "CVE",
        "CZK",
        "DJF",
        "DKK",
        "DOP",
        "DZD",
        "EGP",
        "ERN",
        "ETB",
        "EUR",
        "FJD",
        "FKP",
        "GBP",
        "GEL",
        "GHS",
        "GIP",
        "GMD",
        "GNF",
        "GTQ",
        "GYD",
        "HKD",
        "HNL",
        "HRK",
        "HTG",
        "HUF",
        "IDR",
        "ILS",
        "INR",
        "IQD",
        "IRR",
        "ISK",
        "JMD",
        "JOD",
        "JPY",
        "KES",
        "KGS",
        "KHR",
        "KMF",
        "KPW",
        "KRW",
        "KWD",
        "KYD",
        "KZT",
        "LAK",
        "LBP",
        "LKR",
        "LRD",
        "LSL",
        "LYD",
        "MAD",
        "MDL",
        "MGA",
        "MKD",
        "MMK",
        "MNT",
        "MOP",
        "MRU",
        "MUR",
        "MVR",
        "MWK",
        "MXN",
        "MXV",
        "MYR",
        "MZN",
        "NAD",
        "NGN",
        "NIO",
        "NOK",
        "NPR",
        "NZD",
        "OMR",
        "PAB",
        "PEN",
        "PGK",
        "PHP",
        "PKR",
        "PLN",
        "PYG",
        "QAR",
        "RON",
        "RSD",
        "RUB",
        "RWF",
        "SAR",
        "SBD",
        "SCR",
        "SDG",
        "SEK",
        "SGD",
        "SHP",
        "SLE",
        "SLL",
        "SOS",
        "SRD",
        "SSP",
        "STN",
        "SVC",
        "SYP",
        "SZL",
        "THB",
        "TJS",
        "TMT",
        "TND",
        "TOP",
        "TRY",
        "TTD",
        "TWD",
        "TZS",
        "UAH",
        "UGX",
        "USD",
        "USN",
        "UYI",
        "UYU",
        "UYW",
        "UZS",
        "VED",
        "VES",
        "VND",
        "VUV",
        "WST",
        "XAF",
        "XAG",
        "XAU",
        "XBA",
        "XBB",
        "XBC",
        "XBD",
        "XCD",
        "XDR",
        "XOF",
        "XPD",
        "XPF",
        "XPT",
        "XSU",
        "XUA",
        "YER",
        "ZAR",
        "ZMW",
        "ZWL",
    )
)


def _version(value: Any) -> Any:
    if isinstance(value, bool):
        raise ValueError(f"expected the whole number 1; found {str(value).lower()}")
    if isinstance(value, (int, float)) and value != 1:
        raise ValueError(f"expected 1 (the only schema version this sroi reads); found {value!r}")
    return value


def _currency(code: str) -> str:
    if code not in ISO_4217:
        import difflib  # only when a problem is reported

        close = difflib.get_close_matches(code, sorted(ISO_4217), n=1, cutoff=0.6)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise ValueError(f"expected an ISO 4217 currency code such as GBP; found {code!r}{hint}")
    return code


def _web_address(url: str) -> str:
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        shown = url if len(url) <= 40 else url[:37] + "..."
        raise ValueError(f"expected a web address starting http:// or https://; found {shown!r}")
    return url


def printable_text(text: str) -> str:
    """``text``, refused if it holds a control character other than a line
    break or a tab."""
    c = control_character(text, allowed="\t\n")
    if c is not None:
        raise ValueError(
            f"expected printable text; found the control character {describe_character(c)}"
        )
    return text


#: Line and paragraph separators: Unicode's line breaks that are not
#: control characters.
_SEPARATORS = "\u2028\u2029"


def _one_line(text: str) -> str:
    c = control_character(text) or next((c for c in text if c in _SEPARATORS), None)
    if c is not None:
        # A block scalar (`label: >`) keeps the line break at its end.
        hint = (
            "; a block written with > or | keeps its final line break: write >- or |-"
            if (text.endswith("\n") and control_character(text[:-1]) is None)
            else ""
        )
        what = "line break" if c in _SEPARATORS else "control character"
        raise ValueError(
            f"expected one line of printable text; found the {what} {describe_character(c)}{hint}"
        )
    return text


def _name(text: str) -> str:
    if not text.strip():
        raise ValueError(f"expected a name; found {'empty text' if not text else 'only spaces'}")
    if len(text) > MAX_LINE_CHARS:
        raise ValueError(
            f"expected at most {MAX_LINE_CHARS} characters (a name or label is shown in tables "
            f"and charts; longer text belongs in a note); found {len(text):,}"
        )
    return text


def _id_length(text: str) -> str:
    if len(text) > MAX_ID_CHARS:
        raise ValueError(
            f"expected an id of at most {MAX_ID_CHARS} characters; found {len(text):,}"
        )
    return text


#: An id: snake_case (a lower-case letter, then lower-case letters, digits
#: and underscores), of at most :data:`~sroi.limits.MAX_ID_CHARS` characters.
SnakeId = Annotated[
    str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$"), AfterValidator(_id_length)
]
#: A name or label, shown in tables, charts and messages: one line of
#: printable text (not even a tab or a line break), not blank, of at most
#: :data:`~sroi.limits.MAX_LINE_CHARS` characters.
Line = Annotated[str, AfterValidator(_one_line), AfterValidator(_name)]
#: The scenario language version: the whole number 1.
SchemaVersion = Annotated[Literal[1], BeforeValidator(_version)]
#: An ISO 4217 currency code, three capitals.
CurrencyCode = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$"), AfterValidator(_currency)]
#: Free text such as a note or a citation: line breaks and tabs allowed, no
#: other control character.  Every text field of a scenario model is a
#: ``Text``, a :data:`Line` or a pattern-checked name.
Text = Annotated[str, AfterValidator(printable_text)]
#: An http or https address, on one line.
WebAddress = Annotated[str, AfterValidator(_web_address), AfterValidator(_one_line)]

__all__ = [
    "ISO_4217",
    "CurrencyCode",
    "Line",
    "SchemaVersion",
    "SnakeId",
    "Text",
    "WebAddress",
    "printable_text",
]
