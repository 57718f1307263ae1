"""Taking in the centres' periodic reports: every row counted once, or quarantined with its reasons.

Reports are read as applications are (`intake.reading.read_table`: CSV or XLSX, any encoding or
separator; headers in English or French, the programme's labels and `headers` mapped to the
indicator ids). A FOLDER given as reports stands for its *.csv and *.xlsx files, by name.

A row is counted when nothing is wrong with it. Otherwise it goes to quarantine with its file, its
row (1 = the first row below the header) and every problem in words:
- an unknown centre, a period that is not one (or not of the programme, or before the centre
  started, or not over by the as-of date);
- a count that is not a whole number, or is negative; no indicator filled in at all;
- a part larger than its whole (more women trained than people trained);
- `reported_on` missing, unreadable, before the period ended, or after the as-of date (a report
  sent later is not counted in a run as of an earlier date);
- a second row for a centre and period already counted (the first, by file name then row, counts;
  the second names it).
An empty indicator cell is "not reported", never zero.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from dtc_select.errors import InputFileError
from dtc_select.intake import parsing as p
from dtc_select.intake.reading import read_table
from dtc_select.limits import DEFAULT_LIMITS, Limits
from dtc_select.monitoring.periods import parse_period
from dtc_select.monitoring.programme import Programme

KEYS = ("dtc_id", "period", "reported_on")
QUARANTINE_COLUMNS = ["source_file", "source_row", "dtc_id", "period", "problems"]
# Header spellings of the fixed columns; indicators add their labels and `headers`.
FIXED_HEADERS = {
    "dtc_id": ["centre", "center", "dtc", "code du centre", "code_ctn", "ctn"],
    "period": ["période", "trimestre", "quarter", "mois", "month"],
    "reported_on": ["reported on", "report date", "date du rapport", "transmis le", "date de transmission"],
    "comment": ["commentaire", "comments", "remarques", "notes"],
}


@dataclass(frozen=True)
class ReportFile:
    """One file read: as given, its SHA-256 and size, how it was read, rows read, columns ignored."""

    path: str
    sha256: str
    bytes: int
    rows: int
    read_as: dict = field(default_factory=dict)
    ignored_columns: tuple[str, ...] = ()


@dataclass(frozen=True)
class TakenReports:
    """`rows`: the counted rows (source_file, source_row, dtc_id, period, reported_on, comment and one
    Int64 column per reported indicator); `quarantine`: the others, with their problems."""

    rows: pd.DataFrame
    quarantine: pd.DataFrame
    files: tuple[ReportFile, ...]

    @property
    def rows_read(self) -> int:
        return sum(f.rows for f in self.files)


def report_files(paths: list[str | Path]) -> list[Path]:
    """The files to read: each file as given, each folder's *.csv and *.xlsx by name (spreadsheet
    lock files `~$...` and hidden files left out). A folder without any -> InputFileError."""
    found: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            inside = sorted(f for f in path.iterdir() if f.is_file() and f.suffix.lower() in (".csv", ".xlsx")
                            and not f.name.startswith(("~$", ".")))
            if not inside:
                raise InputFileError(path, "the folder holds no report (no .csv or .xlsx file)")
            found += inside
        else:
            found.append(path)
    return found


def column_names(programme: Programme) -> dict[str, list[str]]:
    """{column: its other header spellings}: the fixed columns' and each indicator's labels."""
    names = {column: list(spellings) for column, spellings in FIXED_HEADERS.items()}
    for indicator in programme.reported_indicators:
        names[indicator.id] = [indicator.label, indicator.label_fr, *indicator.headers]
    return names


def take_in_reports(paths: list[str | Path], programme: Programme, as_of: dt.date,
                    limits: Limits = DEFAULT_LIMITS) -> TakenReports:
    """Read every report file (each within `limits`) and sort its rows into counted and quarantined."""
    files, frames = [], []
    for path in report_files(paths):
        file, frame = _read_one(path, programme, as_of, limits)
        files.append(file)
        frames.append(frame)
    indicators = [i.id for i in programme.reported_indicators]
    columns = ["source_file", "source_row", "dtc_id", "period", "reported_on", "comment", *indicators, "problems"]
    rows = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame({c: [] for c in columns})
    rows = _mark_second_reports(rows)
    bad = rows["problems"] != ""
    quarantine = rows.loc[bad, QUARANTINE_COLUMNS].reset_index(drop=True)
    counted = rows.loc[~bad, columns[:-1]].reset_index(drop=True)
    for column in indicators:
        counted[column] = counted[column].astype("Int64")
    quarantine["source_row"] = quarantine["source_row"].astype("int64")
    counted["source_row"] = counted["source_row"].astype("int64")
    return TakenReports(counted, quarantine, tuple(files))


def _read_one(path: Path, programme: Programme, as_of: dt.date, limits: Limits) -> tuple[ReportFile, pd.DataFrame]:
    table = read_table(path, column_names=column_names(programme), limits=limits)
    frame = table.frame
    missing = [c for c in KEYS if c not in frame.columns]
    if missing:
        raise InputFileError(path, f"has no column {', '.join(missing)} (a report has one row per centre and "
                                   f"period: dtc_id, period, reported_on, one column per indicator)")
    repeated = [c for c in table.repeated_headers if c in (*KEYS, *column_names(programme))]
    if repeated:
        raise InputFileError(path, f"has the column {', '.join(repeated)} more than once")
    indicators = [i.id for i in programme.reported_indicators]
    known = {*KEYS, "comment", *indicators}
    ignored = tuple(table.headers[c] for c in frame.columns if c not in known)
    data = path.read_bytes()
    file = ReportFile(str(path), hashlib.sha256(data).hexdigest(), len(data), len(frame), dict(table.info), ignored)
    n = len(frame)
    out = pd.DataFrame({"source_file": [str(path)] * n, "source_row": range(1, n + 1)})
    problems: list[pd.Series] = [pd.Series([table.row_problems.get(r) for r in range(1, n + 1)], dtype=object)]
    empty = frame.isna().all(axis=1)
    problems.append(pd.Series(["the row is empty" if e else None for e in empty], dtype=object))

    dtc_ids = frame["dtc_id"].str.upper()
    out["dtc_id"] = frame["dtc_id"].astype(object).where(frame["dtc_id"].notna(), "")
    centres = ", ".join(programme.centre_by_id)
    problems.append(pd.Series([
        None if e else "dtc_id is empty; it is required" if pd.isna(d) else
        None if d in programme.centre_by_id else f"dtc_id {p.quote(o)} is not a centre of this programme (its centres: {centres})"
        for e, d, o in zip(empty, dtc_ids, frame["dtc_id"])], dtype=object))
    out.loc[dtc_ids.isin(list(programme.centre_by_id)).fillna(False).astype(bool), "dtc_id"] = dtc_ids

    periods, period_problems = [], []
    for e, text, dtc_id in zip(empty, frame["period"], dtc_ids):
        period, problem = (None, None) if e or pd.isna(text) else parse_period(text, programme.kind)
        periods.append(str(period) if period else ("" if pd.isna(text) else text))
        period_problems.append(None if e else "period is empty; it is required" if pd.isna(text) else
                               f"period {p.quote(text)} {problem}" if problem else _period_problem(period, dtc_id, programme, as_of))
    out["period"] = periods
    problems.append(pd.Series(period_problems, dtype=object))

    dates, date_problems = p.parse_column("reported_on", frame["reported_on"], p.parse_date, required=True, dtype="datetime")
    problems.append(date_problems.where(~empty, None))
    out["reported_on"] = [d.date().isoformat() if not pd.isna(d) else "" for d in dates]
    problems.append(pd.Series([_date_problem(d, per, programme, as_of) for d, per in zip(dates, periods)], dtype=object))
    out["comment"] = frame["comment"].astype(object).where(frame["comment"].notna(), "") if "comment" in frame else ""

    values = {}
    for indicator in indicators:
        texts = frame[indicator] if indicator in frame else pd.Series(pd.NA, index=frame.index, dtype="string")
        values[indicator], column_problems = p.parse_column(indicator, texts, p.parse_integer, required=False, dtype="Int64")
        problems.append(column_problems)
        out[indicator] = values[indicator]
    nothing = pd.DataFrame(values).isna().all(axis=1) if values else empty
    problems.append(pd.Series([None if e or not x else "no indicator is filled in (write 0 where there was none)"
                               for e, x in zip(empty, nothing)], dtype=object))
    problems.append(_parts_larger_than_wholes(pd.DataFrame(values), programme))
    out["problems"] = p.join_problems(problems, out.index)
    return file, out


def _period_problem(period, dtc_id, programme: Programme, as_of: dt.date) -> str | None:
    first, last = programme.periods[0], programme.periods[-1]
    if not first <= period <= last:
        return f"period {period} is outside the programme ({first} to {last})"
    centre = programme.centre_by_id.get(dtc_id) if isinstance(dtc_id, str) else None
    if centre is not None and period < programme.first_period_of(centre):
        return f"period {period} is before the centre started ({centre.start.isoformat()})"
    if period.end > as_of:
        return f"period {period} is not over by the as-of date {as_of.isoformat()} (it ends on {period.end.isoformat()})"
    return None


def _date_problem(reported_on, period_text: str, programme: Programme, as_of: dt.date) -> str | None:
    if pd.isna(reported_on):
        return None
    day = reported_on.date()
    if day > as_of:
        return (f"reported_on {day.isoformat()} is after the as-of date {as_of.isoformat()}: a report sent "
                f"later is not counted as of that date")
    period, problem = parse_period(period_text, programme.kind) if period_text else (None, "")
    if period is not None and day <= period.end:
        return f"reported_on {day.isoformat()} is not after the end of period {period} ({period.end.isoformat()})"
    return None


def _parts_larger_than_wholes(values: pd.DataFrame, programme: Programme) -> pd.Series:
    """"trained_women 130 is more than trained 120 (trained_basic + trained_intermediate)" per row."""
    found = pd.Series([None] * len(values), index=values.index, dtype=object)
    for part in (i for i in programme.reported_indicators if i.share_of):
        whole = programme.indicator_by_id[part.share_of]
        members = list(whole.sum_of) or [whole.id]
        total = values[members].sum(axis=1, min_count=len(members))  # unknown if a member is not reported
        larger = (values[part.id] > total).fillna(False).astype(bool)
        how = f" ({' + '.join(members)})" if whole.sum_of else ""
        for i in values.index[larger]:
            text = f"{part.id} {values.at[i, part.id]} is more than {whole.id} {int(total[i])}{how}"
            found[i] = text if found[i] is None else f"{found[i]}; {text}"
    return found


def _mark_second_reports(rows: pd.DataFrame) -> pd.DataFrame:
    """A second clean row for a centre and period is quarantined, naming the first."""
    if rows.empty:
        return rows
    clean = rows["problems"] == ""
    keys = (rows["dtc_id"] + " " + rows["period"]).where(clean)
    first: dict[str, int] = {}
    problems = rows["problems"].copy()
    for i, key in keys.items():
        if not isinstance(key, str):
            continue
        if key in first:
            j = first[key]
            problems[i] = (f"a second report for {rows.at[i, 'dtc_id']} {rows.at[i, 'period']}: the first, "
                           f"{rows.at[j, 'source_file']} row {rows.at[j, 'source_row']}, is counted; "
                           f"keep one of the two")
        else:
            first[key] = i
    return rows.assign(problems=problems)
