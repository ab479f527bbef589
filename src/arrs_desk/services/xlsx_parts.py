"""An .xlsx file's worksheets and how many filled rows each holds, read straight from its ZIP parts.

openpyxl, even in read-only mode, parses every cell of a worksheet that does not declare its size
(files not saved by Excel) when the workbook is opened: 30 seconds or more for 100,000 rows before
the import could say the file is too big. Counting the sheet's XML rows as text takes a second,
so the row limit is checked here before openpyxl opens the file. Every part is read in bounded
chunks, so a workbook that is a zip bomb is refused without filling memory.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
import zlib
from pathlib import Path
from xml.etree import ElementTree

from arrs_desk.errors import ValidationError

MAX_SHEET_XML = 1024 * 1024 * 1024
"""The most XML a worksheet may expand to when counted; past it the workbook is refused."""
MAX_SMALL_PART = 16 * 1024 * 1024
"""workbook.xml and its relationships list the sheets: tiny in any real workbook."""

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_ROW = re.compile(rb"<(?:\w+:)?row\b[^>]*?(?:/>|>(.*?)</(?:\w+:)?row>)", re.S)
_VALUE = re.compile(rb"<(?:\w+:)?(?:v|is)\b")
_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")


def _problem(name: str, why: str) -> ValidationError:
    return ValidationError.single("file", f"{name} cannot be read as an Excel workbook ({why}).")


def _small_part(archive: zipfile.ZipFile, part: str, name: str) -> bytes:
    with archive.open(part) as handle:
        content = handle.read(MAX_SMALL_PART + 1)
    if len(content) > MAX_SMALL_PART:
        raise _problem(name, f"{part} is far too big")
    return content


def worksheets(path: Path) -> list[tuple[str, str]]:
    """(sheet name, its part in the ZIP) for each worksheet, in the workbook's order."""
    try:
        with zipfile.ZipFile(path) as archive:
            book = ElementTree.fromstring(_small_part(archive, "xl/workbook.xml", path.name))
            rels = ElementTree.fromstring(_small_part(archive, "xl/_rels/workbook.xml.rels", path.name))
    except (zipfile.BadZipFile, KeyError, OSError, zlib.error, ElementTree.ParseError, EOFError) as exc:
        raise _problem(path.name, str(exc) or type(exc).__name__) from None
    targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{_PKG_REL}Relationship")}
    found = []
    for sheet in book.iter(f"{_MAIN}sheet"):
        target = targets.get(sheet.get(f"{_REL}id"), "")
        part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
        found.append((sheet.get("name", ""), part))
    return found


def filled_rows(path: Path, part: str) -> int:
    """How many rows of a worksheet part hold a value, counted in its XML chunk by chunk."""
    count, buffer, read = 0, b"", 0
    try:
        with zipfile.ZipFile(path) as archive, archive.open(part) as source:
            while True:
                chunk = source.read(1 << 20)
                read += len(chunk)
                if read > MAX_SHEET_XML:
                    raise _problem(path.name, "a worksheet is far too big to be a staff list")
                buffer += chunk
                cut = len(buffer) if not chunk else max(buffer.rfind(b"</row>") + 6, buffer.rfind(b":row>") + 5)
                if cut >= 5:
                    count += sum(1 for m in _ROW.finditer(buffer, 0, cut) if m.group(1) and _VALUE.search(m.group(1)))
                    buffer = buffer[cut:]
                if not chunk:
                    return count
    except (zipfile.BadZipFile, KeyError, OSError, zlib.error, EOFError) as exc:
        raise _problem(path.name, str(exc) or type(exc).__name__) from None


def has_formulas(path: Path, part: str) -> bool:
    """Whether a worksheet part holds any formula (an <f> element), read in chunks: only then is the
    sheet read a second time for formulas with no saved value (`import_table`)."""
    tail = b""
    try:
        with zipfile.ZipFile(path) as archive, archive.open(part) as source:
            while chunk := source.read(1 << 20):
                if _FORMULA.search(tail + chunk):
                    return True
                tail = chunk[-16:]  # a tag cut in two by the chunk boundary
    except (zipfile.BadZipFile, KeyError, OSError, zlib.error, EOFError) as exc:
        raise _problem(path.name, str(exc) or type(exc).__name__) from None
    return False
