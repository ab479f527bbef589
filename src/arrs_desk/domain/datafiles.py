"""Loading of versioned data files (catalogues, templates) with messages a user can act on.

Every built-in content file is JSON with a `schema` name and an integer `version`, checked by a
pydantic model so that a malformed file is rejected whole, naming the file and the field.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ValidationError as PydanticValidationError

from arrs_desk.errors import ResourceFileError

M = TypeVar("M", bound=BaseModel)


def describe_pydantic_error(exc: PydanticValidationError, limit: int = 5) -> str:
    """Turn pydantic's errors into lines such as `roles[3].code: Field required`."""
    lines = []
    for err in exc.errors()[:limit]:
        location = ""
        for part in err["loc"]:
            location += f"[{part}]" if isinstance(part, int) else (f".{part}" if location else str(part))
        lines.append(f"{location or 'file'}: {err['msg']}")
    more = len(exc.errors()) - limit
    if more > 0:
        lines.append(f"... and {more} more problem(s)")
    return "\n".join(lines)


def parse_data(model: type[M], data: object, *, source: str) -> M:
    try:
        return model.model_validate(data)
    except PydanticValidationError as exc:
        raise ResourceFileError(f"{source} is not valid:\n{describe_pydantic_error(exc)}") from None


def load_data_file(model: type[M], path: Path) -> M:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ResourceFileError(f"Cannot read {path.name}: {exc.strerror or exc}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ResourceFileError(
            f"{path.name} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from None
    return parse_data(model, data, source=path.name)
