"""decisions.xlsx: our own streaming writer (runs/decisions_xlsx.py) against XlsxWriter in its
constant-memory mode (issue 18.2: one library for every workbook, unless it is more than 2x
slower). Run on demand, one JSON line per writer and repeat:

    PYTHONPATH=src .venv/bin/python bench/xlsx_writers.py --rows 100000 --repeats 3

The table is the example call's decisions.csv (every column a run writes, text, numbers,
booleans, empty cells) repeated to `--rows` rows with fresh ids. Each writer runs in its own
process, alternately, so that its `peak_rss_mb` is its own and both meet the same load; compare
the two writers within one run (the cores are shared). Both XLSX files are checked to read back
(openpyxl, first and last rows) before any figure counts.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def decisions_table(rows: int):
    import pandas as pd

    from dtc_select.call.model import load_call
    from dtc_select.pipeline import run

    call = load_call(ROOT / "criteria" / "dtc-phase1-2019.yaml")
    examples = ROOT / "data" / "examples"
    decisions = run(call, examples / "applications.csv", examples / "scores.csv").decisions
    repeats = -(-rows // len(decisions))
    table = pd.concat([decisions] * repeats, ignore_index=True).iloc[:rows].copy()
    table["application_id"] = [f"B-{i:07d}" for i in range(rows)]
    return table


def xlsxwriter_decisions(frame, path: Path) -> None:
    """decisions.xlsx as our writer makes it (frozen header and ids, filter, widths, wrapped
    reasons, scores to 3 decimals, formulas neutralised, fixed dates), through XlsxWriter."""
    import math

    import xlsxwriter

    from dtc_select.paperwork.workbooks import FIXED_CREATED, OPTIONS
    from dtc_select.runs.decisions_xlsx import WIDEST, WRAPPED
    from dtc_select.runs.safe_cells import neutralise_formulas

    frame = neutralise_formulas(frame)
    book = xlsxwriter.Workbook(str(path), {**OPTIONS, "constant_memory": True})
    book.set_properties({"created": FIXED_CREATED})
    top = book.add_format({"valign": "top"})
    wrapped = book.add_format({"valign": "top", "text_wrap": True})
    score = book.add_format({"valign": "top", "num_format": "0.000"})
    header = book.add_format({"bold": True, "valign": "top", "bg_color": "#E8EEF7"})
    sheet = book.add_worksheet("decisions")
    sheet.freeze_panes(1, 1)
    text_formats, number_formats = [], []
    for j, column in enumerate(frame.columns):
        values = frame.iloc[:, j].dropna().head(500).astype(str)
        width = min(max(max([len(str(column))] + [len(v) for v in values]) + 2, 8), WIDEST.get(column, 30))
        text = wrapped if column in WRAPPED else top
        scored = column in ("score", "merit_score") or str(column).startswith("criterion_")
        text_formats.append(text)
        number_formats.append(score if scored else text)
        sheet.set_column(j, j, width)
        sheet.write_string(0, j, str(column), header)
    columns = [frame.iloc[:, j].to_numpy(dtype=object, na_value=None).tolist() for j in range(len(frame.columns))]
    for i in range(len(frame)):
        for j, values in enumerate(columns):
            value = values[i]
            if value is None:
                continue
            if isinstance(value, str):
                sheet.write_string(i + 1, j, value, text_formats[j])
            elif isinstance(value, bool):
                sheet.write_boolean(i + 1, j, value, text_formats[j])
            elif isinstance(value, (int, float)):
                if not math.isnan(value):
                    sheet.write_number(i + 1, j, value, number_formats[j]) if math.isfinite(value) else \
                        sheet.write_string(i + 1, j, str(value), text_formats[j])
            else:
                sheet.write_string(i + 1, j, str(value), text_formats[j])
    sheet.autofilter(0, 0, len(frame), len(frame.columns) - 1)
    book.close()


def one(writer: str, rows: int) -> dict:
    import openpyxl

    table = decisions_table(rows)
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "decisions.xlsx"
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        start = time.perf_counter()
        if writer == "ours":
            from dtc_select.runs.decisions_xlsx import decisions_xlsx

            path.write_bytes(decisions_xlsx(table))
        else:
            xlsxwriter_decisions(table, path)
        seconds = time.perf_counter() - start
        size = path.stat().st_size
        book = openpyxl.load_workbook(path, read_only=True)
        sheet = book.worksheets[0]
        first = next(sheet.iter_rows(min_row=2, max_row=2, values_only=True))
        book.close()
        assert first[0] == "B-0000000", first[:3]
    return {"writer": writer, "rows": rows, "columns": len(table.columns), "seconds": round(seconds, 2),
            "bytes": size, "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
            "peak_before_writing_mb": round(before)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--one", choices=("ours", "xlsxwriter"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one(args.one, args.rows)))
        return
    for _ in range(args.repeats):
        for writer in ("ours", "xlsxwriter"):
            done = subprocess.run([sys.executable, __file__, "--rows", str(args.rows), "--one", writer],
                                  capture_output=True, text=True)
            print(done.stdout.strip() or json.dumps({"writer": writer, "error": done.stderr.strip()[-300:]}),
                  flush=True)


if __name__ == "__main__":
    main()
