"""The hostile-input corpus: files that once crashed, poisoned or slowed ARRS Desk, generated at test
time into a folder (tmp_path) instead of checked in, so the repository holds no megabytes.

`python -m tests.hostile.make_corpus OUT` writes the whole corpus (including the full-size zip bomb
and 100,000-row workbook) for trying by hand through the CLI; tests call the functions one by one
with small sizes where a small file shows the same fault.
"""

from __future__ import annotations

import csv
import hashlib
import json
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

HEADINGS = ["Surname", "Forename", "E-mail Address", "Job Title", "Employing Organisation", "Base Site",
            "Date Started", "Contracted Hours"]

NAMES_BY_ENCODING = {
    # (encoding, names that only it writes right), the encodings HR systems have sent
    "cp1250": [("Dvořák", "Jiří"), ("Żółć", "Łukasz"), ("Šťastná", "Zuzana"), ("Černý", "Ondřej"), ("Wójcik", "Małgorzata")],
    "iso8859_2": [("Dvořák", "Jiří"), ("Żółć", "Łukasz"), ("Šťastná", "Zuzana"), ("Černý", "Ondřej"), ("Wójcik", "Małgorzata")],
    "mac_roman": [("Brontë", "Zoë"), ("Muñoz", "José"), ("Lefèvre", "François"), ("Ångström", "Björn"), ("Øvergård", "Åse")],
    "koi8_r": [("Петров", "Иван"), ("Смирнова", "Ольга"), ("Кузнецов", "Дмитрий"), ("Попова", "Анна"), ("Соколов", "Сергей")],
    "shift_jis": [("山田", "太郎"), ("佐藤", "花子"), ("鈴木", "健"), ("高橋", "由美"), ("田中", "翔")],
}


def staff_row(i: int, family: str = "", given: str = "", hours: str = "37.5") -> list[str]:
    return [family or f"Person{i}", given or f"Test{i}", f"test{i}.person@nhs.net", "Social prescribing link worker",
            "A11111", "Alpha Surgery", "03/02/2025", hours]


def staff_csv(path: Path, rows: list[list[str]], *, encoding: str = "utf-8", delimiter: str = ",") -> Path:
    with open(path, "w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerow(HEADINGS)
        writer.writerows(rows)
    return path


def encoded_csv(folder: Path, encoding: str) -> Path:
    """Names only `encoding` writes right, as a Central European, Mac, Russian or Japanese PC saves them."""
    rows = [staff_row(i, family, given) for i, (family, given) in enumerate(NAMES_BY_ENCODING[encoding], start=1)]
    return staff_csv(folder / f"staff-{encoding}.csv", rows, encoding=encoding)


def utf16_text(folder: Path) -> Path:
    """What Excel's "Unicode text" writes: UTF-16 with a byte-order mark, tab-separated."""
    rows = [staff_row(1, "Ní Bhriain", "Siobhán"), staff_row(2, "Öztürk", "José")]
    return staff_csv(folder / "staff-unicode.txt", rows, encoding="utf-16", delimiter="\t")


def long_cell_csv(folder: Path, size: int = 200 * 1024) -> Path:
    """A cell past the csv module's 128 KiB field limit (a quote mark never closed does this)."""
    return staff_csv(folder / "staff-long-cell.csv", [staff_row(1), staff_row(2, family="X" * size)])


def numbers_csv(folder: Path) -> Path:
    """Hours of 1e400 (infinity once read) and a whole number of 400 digits."""
    return staff_csv(folder / "staff-numbers.csv", [staff_row(1, hours="1e400"), staff_row(2, hours="9" * 400)])


def big_xlsx(path: Path, rows: int) -> Path:
    """A workbook of `rows` staff rows, written streaming (openpyxl write-only): ~3 s per 100,000."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Staff")
    sheet.append(HEADINGS)
    for i in range(1, rows + 1):
        sheet.append(staff_row(i))
    book.save(path)
    return path


def zip_bomb(template: Path, out: Path, expanded: int) -> Path:
    """A copy of the export `template` whose data.json is `expanded` zero bytes (deflating to about
    a thousandth of that), with a manifest otherwise intact; written in chunks, never held whole."""
    with zipfile.ZipFile(template) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in source.namelist():
            if name == "data.json":
                info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                with archive.open(info, "w", force_zip64=True) as handle:
                    chunk = b"\x00" * (1 << 20)
                    for start in range(0, expanded, len(chunk)):
                        handle.write(chunk[: min(len(chunk), expanded - start)])
            else:
                archive.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), source.read(name),
                                 compress_type=zipfile.ZIP_DEFLATED)
    return out


def tampered_export(template: Path, out: Path, change: Callable[[dict], None], *, raw: bytes | None = None) -> Path:
    """A copy of the export `template` with `change(data)` applied to its data.json (or data.json
    replaced by `raw`, for JSON no json.dumps would write) and the manifest's SHA-256 made to match,
    so only the values themselves can give it away."""
    with zipfile.ZipFile(template) as source:
        files = {name: source.read(name) for name in source.namelist()}
    if raw is None:
        data = json.loads(files["data.json"])
        change(data)
        raw = json.dumps(data, ensure_ascii=True).encode()
    files["data.json"] = raw
    manifest = json.loads(files["manifest.json"])
    manifest["files"]["data.json"]["sha256"] = hashlib.sha256(raw).hexdigest()
    files["manifest.json"] = json.dumps(manifest).encode()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return out


def replace_in_json(template: Path, out: Path, old: str, new: str) -> Path:
    """data.json with the text `old` replaced by `new` (e.g. a number JSON holds but Python's json would
    never write, like 1e400, or the escape of a lone surrogate)."""
    with zipfile.ZipFile(template) as source:
        text = source.read("data.json").decode()
    assert old in text, old
    return tampered_export(template, out, lambda d: None, raw=text.replace(old, new, 1).encode())


def write_all(folder: Path) -> list[Path]:
    """Every CSV and workbook of the corpus at full size (the zip bomb needs an export to start from)."""
    folder.mkdir(parents=True, exist_ok=True)
    made = [encoded_csv(folder, e) for e in NAMES_BY_ENCODING]
    made += [utf16_text(folder), long_cell_csv(folder), numbers_csv(folder),
             big_xlsx(folder / "staff-100000-rows.xlsx", 100_000)]
    return made


if __name__ == "__main__":
    for made in write_all(Path(sys.argv[1] if len(sys.argv) > 1 else "hostile-corpus")):
        print(made)
