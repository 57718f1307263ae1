"""Tables safe to open in a spreadsheet: no cell runs as a formula, no row split by a carriage return."""

from __future__ import annotations

import io
from typing import BinaryIO

import numpy as np
import pandas as pd

# A spreadsheet program runs a cell starting with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """Prefix text cells that a spreadsheet would run as a formula with an apostrophe."""
    safe = frame.copy(deep=False)  # copy-on-write: a column set here is never set in `frame`
    for column in safe.columns:
        if safe[column].dtype == object or isinstance(safe[column].dtype, pd.StringDtype):
            text = safe[column]
            if not _may_start_like_formula(text):
                continue
            values = text.to_numpy(dtype=object)  # iterating a pandas string array boxes each value slowly
            risky = pd.Series([isinstance(v, str) and v.startswith(FORMULA_STARTS) for v in values],
                              index=text.index, dtype=bool)
            if risky.any():
                safe[column] = text.astype(object).where(~risky, "'" + text.astype(str))
    return safe


def _may_start_like_formula(text: pd.Series) -> bool:
    """Whether a value of the column may start with a formula character: one search over the
    column joined into one string (a large call's columns are almost always clean), not a call per
    value. True, to be looked at value by value, also when a value is not text or a NUL inside a
    text is followed by such a character."""
    joined = _joined(text)
    return joined is None or any("\x00" + start in joined for start in FORMULA_STARTS)


def _joined(text: pd.Series) -> str | None:
    """The column's values joined into one string, each after a NUL; None if one is not text."""
    try:
        return "\x00" + "\x00".join(text.dropna().to_numpy(dtype=object))
    except TypeError:
        return None


def _line_ends_as_lf(frame: pd.DataFrame) -> pd.DataFrame:
    """Text with its carriage returns ("\r\n" or a lone "\r") as line feeds. Python 3.11's csv
    writer quotes a field holding "\n" but not one holding a lone "\r", which spreadsheet programs
    and most CSV readers take as the end of the row: the row would be split in two."""
    fixed = frame
    for column in frame.columns:
        text = frame[column]
        if not (text.dtype == object or isinstance(text.dtype, pd.StringDtype)):
            continue
        joined = _joined(text)
        if joined is None or "\r" in joined:
            if fixed is frame:
                fixed = frame.copy(deep=False)
            fixed[column] = [v.replace("\r\n", "\n").replace("\r", "\n") if isinstance(v, str) else v
                             for v in text.to_numpy(dtype=object)]
            fixed[column] = fixed[column].astype(text.dtype)
    return fixed


def _repeated_numbers_as_text(frame: pd.DataFrame) -> pd.DataFrame:
    """Float columns of few distinct values (a bonus, a probability, a criterion's value) as the
    text pandas' CSV writer makes of each cell, made once per distinct value: the writer formats
    every float cell with numpy (about 0.1 s per 100,000 cells, half of decisions.csv's time).
    Missing values are written empty, as the writer does (na_rep ""). A column holding -0.0 is
    left to the writer: 0.0 and -0.0 are one distinct value but two texts."""
    fixed = frame
    for position in range(frame.shape[1]):
        column = frame.iloc[:, position]
        if column.dtype.kind != "f" or len(column) < 1000:
            continue
        numbers = column.to_numpy(dtype="float64", na_value=np.nan)
        if ((numbers == 0) & np.signbit(numbers)).any():
            continue
        distinct, codes = np.unique(numbers, return_inverse=True)  # NaN: one distinct value, last
        if len(distinct) * 4 > len(numbers):
            continue
        texts = distinct.astype(str).astype(object)
        texts[np.isnan(distinct)] = ""
        if fixed is frame:
            fixed = frame.copy(deep=False)
        fixed.isetitem(position, pd.Series(texts[codes.reshape(-1)], index=frame.index, dtype=object))
    return fixed


def write_csv(frame: pd.DataFrame, out: BinaryIO, *, neutralised: bool = False) -> None:
    """CSV as written for every table into a binary file: UTF-8, comma, LF line ends (in text
    too), no index; same frame, same bytes. Encoded as pandas writes it, a few thousand rows at a
    time: never the whole table as one str (up to 4 bytes a character) nor as bytes.
    `neutralised`: the frame already went through neutralise_formulas (not done twice)."""
    safe = _line_ends_as_lf(frame if neutralised else neutralise_formulas(frame))
    _repeated_numbers_as_text(safe).to_csv(out, index=False, lineterminator="\n", encoding="utf-8")


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """`write_csv`'s bytes, for the tables small enough to hold (a command's printout, tests)."""
    buffer = io.BytesIO()
    write_csv(frame, buffer)
    return buffer.getvalue()
