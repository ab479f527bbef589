"""A regulator pack (NMC, HCPC, GPhC, GMC) as a PDF, with the appraisal pack's look and pages."""

from __future__ import annotations

import io
from pathlib import Path

from arrs_desk.reports.appraisal_pack import build_pack
from arrs_desk.reports.pack_blocks import clean, uk
from arrs_desk.reports.pack_data import PackRequirement
from arrs_desk.reports.regulator_blocks import regulator_blocks
from arrs_desk.reports.regulator_pack_data import RegulatorPackData


def build_regulator_pack(target: Path | str | io.BytesIO, data: RegulatorPackData,
                         requirements: tuple[PackRequirement, ...]) -> Path | io.BytesIO:
    """Write one person's pack to a file path (or a binary buffer) and return where it went."""
    rv = data.revalidation
    return build_pack(target, regulator_blocks(data, requirements), name=data.display_name,
                      title=f"{data.title} – {clean(data.display_name)}",
                      subject=f"{rv.regulator}: {uk(rv.cycle_start)} to {uk(rv.cycle_end)}", printed=data.printed_on)
