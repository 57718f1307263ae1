"""Helpers for the hostile-input tests: run the command in a child process whose memory is capped.

A hostile file that made the run exhaust memory must fail such a test (MemoryError, an "internal
error", exit 70, or a killed child), never make the test machine swap. The timeout only keeps a
regression that hangs from hanging the suite; no test asserts how fast anything is.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

from tests.conftest import EXAMPLES, PHASE1, ROOT

MEMORY_CAP = 1_500_000_000  # bytes of address space: the example run needs about a third of it
HANG_GUARD_SECONDS = 300


def _cap_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))


def run_capped(tmp_path: Path, *, call: Path = PHASE1, applications: Path = EXAMPLES / "applications.csv",
               extra: tuple[str, ...] = ()) -> subprocess.CompletedProcess:
    """`dtc-select run` in a child process capped at MEMORY_CAP, output to tmp_path/out."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "OPENBLAS_NUM_THREADS": "1"}
    env.pop("DTC_SELECT_DEBUG", None)
    command = [sys.executable, "-m", "dtc_select.cli", "run", "--call", str(call), "--applications",
               str(applications), "--out", str(tmp_path / "out"), *extra]
    return subprocess.run(command, capture_output=True, text=True, timeout=HANG_GUARD_SECONDS,
                          preexec_fn=_cap_memory, env=env, cwd=tmp_path)


_XLSX_PARTS = {
    "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
    "_rels/.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>',
    "xl/workbook.xml": '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Applications" sheetId="1" r:id="rId1"/></sheets></workbook>',
    "xl/_rels/workbook.xml.rels": '<?xml version="1.0"?><Relationships '
    'xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    '</Relationships>',
}


def raw_xlsx(path: Path, sheet_data: bytes, title: str = "Applications", before: bytes = b"") -> Path:
    """A minimal workbook, written part by part as a program (or an attacker) would, whose one
    worksheet `title` holds `sheet_data` (the XML inside <sheetData>) after `before` (a
    <dimension>, say)."""
    import zipfile

    sheet = (b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
             + before + b"<sheetData>" + sheet_data + b"</sheetData></worksheet>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in _XLSX_PARTS.items():
            archive.writestr(name, text.replace('name="Applications"', f'name="{title}"'))
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
    return path
