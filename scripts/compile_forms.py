"""Compile every Qt Designer form in forms/ into src/arrs_desk/ui/generated/ui_<name>.py.

Run after editing a .ui file in Designer; a test fails when a compiled form is out of date.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FORMS = ROOT / "forms"
GENERATED = ROOT / "src" / "arrs_desk" / "ui" / "generated"


def uic_command() -> list[str]:
    exe = Path(sys.executable).with_name("pyside6-uic.exe" if sys.platform == "win32" else "pyside6-uic")
    return [str(exe)] if exe.exists() else ["pyside6-uic"]


def compile_form(ui_file: Path) -> str:
    result = subprocess.run([*uic_command(), str(ui_file)], capture_output=True, text=True, check=True)
    # uic writes the source file name into its header; keep it stable across machines.
    return result.stdout.replace(str(ui_file), f"forms/{ui_file.name}")


def main() -> int:
    for ui_file in sorted(FORMS.glob("*.ui")):
        target = GENERATED / f"ui_{ui_file.stem}.py"
        target.write_text(compile_form(ui_file), encoding="utf-8")
        print(f"compiled {ui_file.relative_to(ROOT)} -> {target.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
