"""Every Designer form is compiled, and the compiled module matches the .ui file."""

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import compile_forms  # noqa: E402

FORMS = sorted((ROOT / "forms").glob("*.ui"))


def _body(source: str) -> list[str]:
    """Drop uic's header comments (they name the Qt version) before comparing."""
    return [line for line in source.splitlines() if not line.startswith("##")]


@pytest.mark.parametrize("ui_file", FORMS, ids=[f.stem for f in FORMS])
def test_compiled_form_is_up_to_date(ui_file):
    generated = compile_forms.GENERATED / f"ui_{ui_file.stem}.py"
    assert generated.exists(), f"run scripts/compile_forms.py to compile {ui_file.name}"
    assert _body(generated.read_text(encoding="utf-8")) == _body(compile_forms.compile_form(ui_file)), (
        f"{generated.name} is out of date: run scripts/compile_forms.py"
    )


def test_every_compiled_form_has_its_source():
    compiled = {p.stem.removeprefix("ui_") for p in compile_forms.GENERATED.glob("ui_*.py")}
    assert compiled == {f.stem for f in FORMS}
