"""A folder of returned scores (paperwork.md §3): reviewers' score sheets and long-format CSVs.

Every `score-sheet-*.xlsx` in the folder is read as the sheet `dtc-select assign` wrote: row 1
holds the column ids, each score cell becomes one long row (application, reviewer, criterion,
score, the row's comment and conflict) and every other `*.csv` is a long scores file (contract §2),
except the files `assign` writes beside the sheets. The reviewer is the one the sheet was made
for (its `about` sheet, else its file name).

Nothing is dropped silently: each long row remembers where it came from ("score-sheet-R1.xlsx,
sheet scores, cell D3"), so a score the intake refuses (out of range, under a renamed criterion
column) is a score problem naming the sheet and the cell; a row for an application the sheet was
not made for, and a value under a column without a header, are score problems too. The rows are
put in one order (application, reviewer, criterion) so that the same scores given as sheets or as
one long CSV give the same decisions.
"""

from __future__ import annotations

import hashlib
import io
import itertools
import re
import warnings
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from dtc_select.errors import InputFileError
from dtc_select.intake import parsing as p
from dtc_select.intake.limits import TooLarge
from dtc_select.intake.reading import RawTable, file_bytes, read_table
from dtc_select.intake.workbook import measure_workbook, worksheet_rows
from dtc_select.limits import DEFAULT_LIMITS, Limits, raise_hint

SHEET_FILE = re.compile(r"^score-sheet-(?P<reviewer>.+)\.xlsx$")
WRITTEN_BY_ASSIGN = frozenset({"assignments.csv", "assignment_problems.csv"})
LONG = ("application_id", "reviewer_id", "criterion", "score", "comment", "conflict_of_interest")
ROW_COLUMNS = ("application_id", "institution_name", "country", "conflict_of_interest", "comment")


@dataclass(frozen=True)
class ScoresFolder:
    raw: RawTable  # the long rows, as text, under the contract's columns
    places: tuple[str, ...]  # where each long row came from, by position (source_row - 1)
    problems: pd.DataFrame  # what could not be a long row: source_row (after the rows), application_id, problems
    files: tuple[str, ...]


def folder_sha256(folder: Path) -> str:
    """One fingerprint of the files a folder of scores holds (names and contents)."""
    digest = hashlib.sha256()
    for path in sorted(folder.iterdir()):
        if path.is_file() and _is_read(path.name):
            digest.update(path.name.encode("utf-8") + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _is_read(name: str) -> bool:
    return bool(SHEET_FILE.match(name)) or (name.endswith(".csv") and name not in WRITTEN_BY_ASSIGN)


def read_scores_folder(folder: str | Path, limits: Limits = DEFAULT_LIMITS) -> ScoresFolder:
    """The folder's long rows. Each file is held to the bounds of `limits` as any data file is,
    and measured before it is read; the folder holds at most `limits.score_files` files to read.
    InputFileError (one line naming the file and the bound) otherwise."""
    folder = Path(folder)
    rows: list[tuple[str, ...]] = []
    places: list[str] = []
    problems: list[tuple[str | None, str]] = []
    # Whatever is not a folder: a FIFO named like a sheet is refused by name (file_bytes), not skipped.
    found = (path.name for path in folder.iterdir() if _is_read(path.name) and not path.is_dir())
    files = sorted(itertools.islice(found, limits.score_files + 1))
    if len(files) > limits.score_files:
        raise InputFileError(folder, f"holds more than {limits.score_files:,} score sheets and scores CSVs, the most "
                                     f"a scores folder holds here: is it the right folder? (or "
                                     f"{raise_hint(limits, 'score_files')})")
    if not files:
        raise InputFileError(folder, "the folder holds no score sheet (score-sheet-*.xlsx) and no scores CSV")
    for name in files:
        reader = _sheet_rows if SHEET_FILE.match(name) else _long_rows
        for row, place in reader(folder / name, problems, limits):
            rows.append(row)
            places.append(place)
    order = sorted(range(len(rows)), key=lambda i: tuple("" if v is None else v for v in rows[i][:3]) + (i,))
    frame = pd.DataFrame({c: p.clean_text([rows[i][j] for i in order]) for j, c in enumerate(LONG)},
                         index=pd.RangeIndex(len(rows)))
    info = {"format": "folder", "encoding": None, "separator": None, "sheet": None, "rows": len(rows),
            "column_names": {}, "files": files}
    problem_frame = pd.DataFrame({
        "source_row": pd.array(range(len(rows) + 1, len(rows) + len(problems) + 1), dtype="Int64"),
        "application_id": pd.array([a for a, _ in problems], dtype="string"),
        "problems": [words for _, words in problems]})
    return ScoresFolder(RawTable(folder, frame, info, clean=True), tuple(places[i] for i in order),
                        problem_frame, tuple(files))


def located(problems: pd.DataFrame, folder: ScoresFolder) -> pd.DataFrame:
    """The intake's problems for the long rows, each led by where its row came from, then the
    folder's own problems."""
    def place(row: int) -> str:
        return folder.places[row - 1] if 0 < row <= len(folder.places) else f"row {row}"

    words = [f"{place(int(row))}: " + re.sub(r"in row (\d+)", lambda m: f"in {place(int(m.group(1)))}", str(text))
             for row, text in zip(problems["source_row"], problems["problems"])]
    ours = problems.assign(problems=words)
    return pd.concat([ours, folder.problems], ignore_index=True) if len(folder.problems) else ours


def _long_rows(path: Path, problems, limits: Limits):
    raw = read_table(path, limits=limits)
    missing = [c for c in LONG[:4] if c not in raw.frame.columns]
    if missing:
        raise InputFileError(path, f"is neither a score sheet nor a long scores file: no column "
                                   f"{', '.join(missing)} (a scores folder holds score-sheet-*.xlsx and scores CSVs)")
    columns = [raw.frame[c] if c in raw.frame.columns else pd.Series(pd.NA, index=raw.frame.index) for c in LONG]
    for index, values in enumerate(zip(*columns)):
        yield tuple(None if pd.isna(v) else str(v) for v in values), f"{path.name} row {index + 1}"


def _sheet_rows(path: Path, problems, limits: Limits):
    import openpyxl

    data = file_bytes(path, limits)  # a regular file within the size bound, or one line
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            measure_workbook(archive, limits)  # before openpyxl unpacks a single row
    except TooLarge as problem:
        raise InputFileError(path, str(problem)) from None
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, zlib.error):
        raise InputFileError(path, "is not a readable XLSX workbook: save the score sheet again as .xlsx") from None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception:
            raise InputFileError(path, "is not a readable XLSX workbook: save the score sheet again as .xlsx") from None
        try:
            if "scores" not in book.sheetnames:
                raise InputFileError(path, f"has no sheet 'scores' (its sheets: {', '.join(book.sheetnames)})")
            # Row by row within the bounds (a jump to row 999,999,999 is refused, not padded out).
            about = _about(worksheet_rows(path, data, book["about"], limits) if "about" in book.sheetnames else None)
            cells = worksheet_rows(path, data, book["scores"], limits)
        except TooLarge as problem:
            raise InputFileError(path, str(problem)) from None
        finally:
            book.close()
    reviewer = about.get("reviewer_id") or SHEET_FILE.match(path.name)["reviewer"]
    assigned = about.get("assigned")
    where = f"{path.name}, sheet scores"
    header = [p.normalise_name(h or "") for h in (cells[0] if cells else [])]
    if "application_id" not in header:
        raise InputFileError(path, "sheet 'scores' has no application_id column in row 1")
    at = {name: header.index(name) for name in ROW_COLUMNS if name in header}
    scored = [j for j, name in enumerate(header) if name and name not in ROW_COLUMNS]
    headless = [j for j, name in enumerate(header) if not name]
    for i, row in enumerate(cells[1:], start=1):
        row = row + [None] * (len(header) - len(row))
        value = {name: row[j] for name, j in at.items()}
        application = value["application_id"]
        filled = [j for j in scored if row[j] is not None]
        stray = [j for j in headless + list(range(len(header), len(row))) if row[j] is not None]
        for j in stray:
            problems.append((application, f"{where}, cell {_cell(i, j)}: {p.quote(row[j])} is under a column "
                                          f"without a header: not counted"))
        if not filled:
            continue
        if assigned is not None and application is not None and application not in assigned:
            listed = ", ".join(_cell(i, j) for j in filled)
            problems.append((application, f"{where}, row {i + 1}: application {p.quote(application)} was not "
                                          f"assigned to reviewer {reviewer} (sheet about): its scores ({listed}) "
                                          f"are not counted"))
            continue
        for j in filled:
            yield ((application, reviewer, cells[0][j], row[j], value.get("comment"),
                    value.get("conflict_of_interest")), f"{where}, cell {_cell(i, j)}")


def _about(rows: list[list[str | None]] | None) -> dict:
    """The `about` sheet's rows: reviewer_id and the assigned applications, when the sheet has it."""
    if rows is None:
        return {}
    found: dict = {}
    assigned: list[str] = []
    listing = False
    for key, value, *_ in (tuple(r) + (None, None) for r in rows):
        if key == "reviewer_id" and value:
            found["reviewer_id"] = value.strip()
        listing = listing or key == "assigned"
        if listing and value:
            assigned.append(value.strip())
    if listing:
        found["assigned"] = frozenset(assigned)
    return found


def _cell(row: int, column: int) -> str:
    from dtc_select.paperwork.workbooks import column_letter

    return f"{column_letter(column)}{row + 1}"
