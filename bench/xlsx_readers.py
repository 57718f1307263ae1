"""Reading XLSX at scale (issue 18.3): openpyxl, as intake reads a workbook today
(intake/workbook.py: read-only, one row at a time), against python-calamine (a Rust reader).
Run on demand, one JSON line per workbook and reader:

    PYTHONPATH=src .venv/bin/python bench/xlsx_readers.py --rows 10000,100000
    PYTHONPATH=src .venv/bin/python bench/xlsx_readers.py --semantics

The workbooks: synthetic applications (bench/generate.py, numbers as numbers, dates as dates)
and long reviewer scores, `--rows` data rows each, written once by XlsxWriter. Each reader runs
in its own process (its own `peak_rss_mb`), both after the same bounds scan, and turns every cell
into the text intake reads (`delimited.cell_text`); `same_cells` says whether both readers gave
the same text cells. `--semantics` reads one small workbook holding each kind of cell (dates,
date-times, times, whole and decimal numbers, booleans, error values, formulas with and without a
saved value, a second worksheet, leading empty rows) with both and prints every cell they read
differently. Since issue 18.3 intake reads with python-calamine wherever it reads every cell as openpyxl does
(intake/workbook.py): "calamine" is intake's own reading, "openpyxl" the same with calamine
turned off. RESULTS.md records the figures and the choice.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import io
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NUMBERS = ("training_labs", "workstations", "internet_mbps", "committed_staff", "committed_budget_usd",
           "trainees_last_year", "trainers")


def _write(frame, path: Path) -> None:
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_numbers": False,
                                           "strings_to_formulas": False, "strings_to_urls": False})
    sheet = book.add_worksheet("Data")
    dates = book.add_format({"num_format": "yyyy-mm-dd"})
    sheet.write_row(0, 0, list(frame.columns))
    for i, row in enumerate(frame.itertuples(index=False), start=1):
        for j, value in enumerate(row):
            if isinstance(value, dt.date):
                sheet.write_datetime(i, j, value, dates)
            elif value is not None and value == value and value != "":
                sheet.write(i, j, value)
    book.close()


def make_workbooks(rows: int, folder: Path) -> dict[str, Path]:
    """applications-<rows>.xlsx and scores-<rows>.xlsx in `folder` (made once, kept)."""
    import pandas as pd

    sys.path.insert(0, str(ROOT / "bench"))
    from generate import synthetic_applications, synthetic_scores

    paths = {"applications": folder / f"applications-{rows}.xlsx", "scores": folder / f"scores-{rows}.xlsx"}
    if all(p.exists() for p in paths.values()):
        return paths
    applications = synthetic_applications(rows).astype(object)
    for column in NUMBERS:
        applications[column] = pd.to_numeric(applications[column], errors="coerce").astype(object)
    applications["submitted_at"] = pd.to_datetime(applications["submitted_at"]).dt.to_pydatetime()
    _write(applications, paths["applications"])
    scores = synthetic_scores(synthetic_applications(-(-rows // 24) + 1)).iloc[:rows].astype(object)
    scores["score"] = pd.to_numeric(scores["score"], errors="coerce").astype(object)
    _write(scores, paths["scores"])
    return paths


def openpyxl_rows(data: bytes) -> list[list[str | None]]:
    """The first worksheet's cells as text read by openpyxl, after the same bounds scan."""
    from unittest import mock

    from dtc_select.intake import workbook

    with mock.patch.object(workbook, "calamine_rows", return_value=None):
        return workbook.xlsx_rows(Path("bench.xlsx"), data, None)[0]


def calamine_rows(data: bytes) -> list[list[str | None]]:
    """The first worksheet's cells as text as intake reads them (python-calamine where it reads
    them alike, workbook.calamine_rows), after the same bounds scan; None for an empty cell."""
    from dtc_select.intake import workbook

    return workbook.xlsx_rows(Path("bench.xlsx"), data, None)[0]


def _fingerprint(rows: list[list[str | None]]) -> str:
    """The cells as intake's table sees them: trailing empty cells and rows are not cells."""
    trimmed = []
    for row in rows:
        row = list(row)
        while row and row[-1] is None:
            row.pop()
        trimmed.append(row)
    while trimmed and not trimmed[-1]:
        trimmed.pop()
    return hashlib.sha256(json.dumps(trimmed).encode()).hexdigest()


def child(reader: str, path: Path) -> None:
    data = path.read_bytes()
    start = time.perf_counter()
    rows = (openpyxl_rows if reader == "openpyxl" else calamine_rows)(data)
    seconds = time.perf_counter() - start
    status = Path("/proc/self/status").read_text()
    peak = round(int(status.split("VmHWM:")[1].split()[0]) / 1024, 1)
    print(json.dumps({"seconds": round(seconds, 3), "peak_rss_mb": peak, "rows": len(rows),
                      "cells": _fingerprint(rows)}))


def measure(rows: int, folder: Path) -> None:
    for table, path in make_workbooks(rows, folder).items():
        found = {}
        for reader in ("openpyxl", "calamine"):
            done = subprocess.run([sys.executable, __file__, "--child", reader, str(path)], capture_output=True,
                                  text=True, check=True)
            found[reader] = json.loads(done.stdout)
        same = found["openpyxl"]["cells"] == found["calamine"]["cells"]
        for reader, figures in found.items():
            print(json.dumps({"table": table, "rows": rows, "reader": reader, "seconds": figures["seconds"],
                              "peak_rss_mb": figures["peak_rss_mb"], "file_mb": round(path.stat().st_size / 2**20, 1),
                              "same_cells": same}), flush=True)


def semantics() -> list[dict]:
    """Every cell of a small workbook the two readers read as different text."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Applications"
    sheet.append(["id", "date", "date_time", "time", "whole", "decimal", "flag", "error", "formula", "spaces"])
    sheet.append(["A-1", dt.datetime(2019, 11, 30), dt.datetime(2019, 11, 30, 23, 59, 59), dt.time(13, 45, 10),
                  12345678901, 0.1, True, "#N/A", "=1+1", "  a  "])
    sheet.append(["A-2", dt.date(2020, 1, 2), dt.datetime(2019, 11, 30, 12, 0, 0, 500000), None, 1e20, 1 / 3,
                  False, "#DIV/0!", None, None])
    sheet.cell(row=6, column=3, value=7)  # after two empty rows
    book.create_sheet("Other")["C3"] = "a second worksheet"
    buffer = io.BytesIO()
    book.save(buffer)
    data = buffer.getvalue()
    ours, theirs = openpyxl_rows(data), calamine_rows(data)
    differences = []
    for number in range(max(len(ours), len(theirs))):
        a = ours[number] if number < len(ours) else []
        b = theirs[number] if number < len(theirs) else []
        for column in range(max(len(a), len(b))):
            x = a[column] if column < len(a) else None
            y = b[column] if column < len(b) else None
            if x != y:
                differences.append({"row": number + 1, "column": column + 1, "openpyxl": x, "calamine": y})
    return differences


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", default="10000", help="comma-separated data rows per workbook")
    parser.add_argument("--folder", type=Path, default=Path(tempfile.gettempdir()) / "dtc-bench-xlsx",
                        help="where the workbooks are made once and kept")
    parser.add_argument("--semantics", action="store_true", help="print the cells read differently, then stop")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child:
        child(options.child[0], Path(options.child[1]))
        return
    if options.semantics:
        for difference in semantics():
            print(json.dumps(difference))
        return
    options.folder.mkdir(parents=True, exist_ok=True)
    for rows in (int(r) for r in options.rows.split(",") if r.strip()):
        measure(rows, options.folder)


if __name__ == "__main__":
    main()
