"""The export file's vocabulary and its canonical JSON, kept apart from the database so the rules
that make two exports of the same data byte-identical live in one small, testable place.

Values are encoded by the kind of column they come from (see `docs/export-format.md`):
dates and datetimes as ISO 8601 (datetimes always in UTC with "+00:00"), Decimal as a string,
bytes as base64, enums as their value, JSON columns as they are. Keys are sorted, the text is
UTF-8 and never escapes non-ASCII characters.
"""

from __future__ import annotations

import base64
import json
import math
import re
from datetime import date, datetime, timezone
from decimal import Decimal
from enum import Enum
from typing import Any

FORMAT_NAME = "arrs-desk-export"
FORMAT_VERSION = 1
BUNDLE_FORMAT_NAME = "arrs-desk-person-bundle"
BUNDLE_FORMAT_VERSION = 1

MANIFEST_NAME = "manifest.json"
DATA_NAME = "data.json"
EVIDENCE_PREFIX = "evidence/"

MAX_MANIFEST_BYTES = 1024 * 1024
"""A manifest lists tables and hashes; anything bigger is not one of ours."""

SHA256_PATTERN = re.compile(r"^[0-9a-f]{64}$")

# Column kinds: how a value of that column is written to and read from JSON.
INTEGER, TEXT, DATETIME, DATE, BOOLEAN, FLOAT, JSON_VALUE, DECIMAL, BYTES = (
    "integer", "text", "datetime", "date", "boolean", "float", "json", "decimal", "bytes",
)


class FormatProblem(ValueError):
    """A value in the file does not fit its column; the message says what was found."""


def encode(value: Any) -> Any:
    """A JSON-safe form of one column value; the same value always gives the same form."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, Enum):
        return encode(value.value)
    if isinstance(value, datetime):
        if value.utcoffset() is None:
            raise FormatProblem(f"the time {value.isoformat()} has no time zone")
        return value.astimezone(timezone.utc).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        if not math.isfinite(value):
            raise FormatProblem(f"{value} is not a number that JSON can hold")
        return value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (bytes, bytearray, memoryview)):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, dict):
        return {str(k): encode(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [encode(v) for v in value]
    raise FormatProblem(f"a value of type {type(value).__name__} cannot be exported")


def decode(kind: str, value: Any, nullable: bool, max_length: int | None = None) -> Any:
    """The column value a JSON value stands for, or FormatProblem saying why it cannot be one."""
    if kind == TEXT and max_length is not None and isinstance(value, str) and len(value) > max_length:
        raise FormatProblem(f"is {len(value)} characters long; the most it may be is {max_length}")
    if value is None:
        if nullable:
            return None
        raise FormatProblem("is empty but must have a value")
    try:
        if kind == INTEGER and isinstance(value, int) and not isinstance(value, bool):
            return _in_range(value)
        if kind == TEXT and isinstance(value, str):
            return _encodable(value)
        if kind == BOOLEAN and isinstance(value, bool):
            return value
        if kind == FLOAT and isinstance(value, (int, float)) and not isinstance(value, bool):
            return _finite(float(value))
        if kind == JSON_VALUE:
            return check_json_value(value)
        if kind == DATETIME and isinstance(value, str):
            parsed = datetime.fromisoformat(value)
            if parsed.utcoffset() is None:
                raise FormatProblem(f"'{value}' has no time zone")
            return parsed.astimezone(timezone.utc)
        if kind == DATE and isinstance(value, str) and len(value) == 10:
            return date.fromisoformat(value)
        if kind == DECIMAL and isinstance(value, str):
            number = Decimal(value)
            if not number.is_finite():
                raise FormatProblem(f"'{value[:40]}' is not a finite number")
            return number
        if kind == BYTES and isinstance(value, str):
            return base64.b64decode(value, validate=True)
    except FormatProblem:
        raise
    except (ValueError, ArithmeticError) as exc:
        raise FormatProblem(f"'{str(value)[:40]}' is not a valid {kind} ({exc})") from None
    raise FormatProblem(f"{json.dumps(value, ensure_ascii=False)[:40]} is not a valid {kind}")


MIN_INTEGER, MAX_INTEGER = -(2 ** 63), 2 ** 63 - 1
"""What an integer column holds on SQLite and PostgreSQL (BIGINT); JSON itself has no limit."""
MAX_JSON_DEPTH = 32


def _in_range(value: int) -> int:
    if not MIN_INTEGER <= value <= MAX_INTEGER:
        digits = len(str(abs(value)))
        raise FormatProblem(f"is a whole number of {digits} digits, too big for the database")
    return value


def _finite(value: float) -> float:
    if not math.isfinite(value):  # "1e400" reads as infinity, which no later export could write
        raise FormatProblem("is a number too big to store (it reads as infinity)")
    return value


def _encodable(value: str) -> str:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:  # a lone surrogate ("\\ud800") is valid JSON but not text
        raise FormatProblem(f"holds a character that is not text (at position {exc.start + 1})") from None
    return value


def check_json_value(value: Any, depth: int = 0) -> Any:
    """A JSON column's value with every string, number and key checked as the columns above are."""
    if depth > MAX_JSON_DEPTH:
        raise FormatProblem(f"is nested more than {MAX_JSON_DEPTH} levels deep")
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return _in_range(value)
    if isinstance(value, float):
        return _finite(value)
    if isinstance(value, str):
        return _encodable(value)
    if isinstance(value, list):
        return [check_json_value(v, depth + 1) for v in value]
    if isinstance(value, dict):
        return {_encodable(k): check_json_value(v, depth + 1) for k, v in value.items()}
    raise FormatProblem(f"a value of type {type(value).__name__} is not JSON")


JSON_SHAPES = {"list of text": (list, str), "list of objects": (list, dict), "list": (list, None),
               "object": (dict, None)}


def check_json_shape(value: Any, shape: str) -> Any:
    """A JSON column's value checked against the shape the app reads it as (`JSON_SHAPES`): `roles`
    must be a list of role codes, never a number the sign-in would then trip over."""
    outer, inner = JSON_SHAPES[shape]
    if value is None:
        return value
    if not isinstance(value, outer) or (inner is not None and not all(isinstance(v, inner) for v in value)):
        raise FormatProblem(f"{json.dumps(value, ensure_ascii=False)[:40]} is not a {shape}")
    return value


def canonical_json(document: Any) -> bytes:
    """The one byte form of a document: sorted keys, one-space indent, UTF-8, final newline."""
    return (json.dumps(document, sort_keys=True, ensure_ascii=False, indent=1, allow_nan=False) + "\n").encode("utf-8")


def parse_json(raw: bytes, what: str) -> Any:
    """JSON from the file, or FormatProblem naming the file part that is not valid UTF-8 JSON."""
    try:
        return json.loads(raw.decode("utf-8"), parse_constant=_no_constants)
    except UnicodeDecodeError:
        raise FormatProblem(f"{what} is not UTF-8 text") from None
    except (ValueError, RecursionError) as exc:
        raise FormatProblem(f"{what} is not valid JSON ({str(exc)[:120]})") from None


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not allowed")


def is_evidence_name(name: str) -> bool:
    """True for `evidence/<64 lower-case hex digits>`, the only other name a file may hold."""
    return name.startswith(EVIDENCE_PREFIX) and bool(SHA256_PATTERN.match(name[len(EVIDENCE_PREFIX):]))
