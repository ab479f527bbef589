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
            return value
        if kind == TEXT and isinstance(value, str):
            return value
        if kind == BOOLEAN and isinstance(value, bool):
            return value
        if kind == FLOAT and isinstance(value, (int, float)) and not isinstance(value, bool):
            return float(value)
        if kind == JSON_VALUE:
            return value
        if kind == DATETIME and isinstance(value, str):
            parsed = datetime.fromisoformat(value)
            if parsed.utcoffset() is None:
                raise FormatProblem(f"'{value}' has no time zone")
            return parsed.astimezone(timezone.utc)
        if kind == DATE and isinstance(value, str) and len(value) == 10:
            return date.fromisoformat(value)
        if kind == DECIMAL and isinstance(value, str):
            return Decimal(value)
        if kind == BYTES and isinstance(value, str):
            return base64.b64decode(value, validate=True)
    except (ValueError, ArithmeticError) as exc:
        raise FormatProblem(f"'{str(value)[:40]}' is not a valid {kind} ({exc})") from None
    raise FormatProblem(f"{json.dumps(value, ensure_ascii=False)[:40]} is not a valid {kind}")


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
