"""The bounds a run may raise: `Limits`, one value passed from the command line through the run.

Every bound here is far beyond the calls we know (the benchmarks read 100,000 applications and 2.4
million score rows), but a real call could need more: a form export with thousands of columns, a
scores file of ten million rows, a stability analysis of a million samples. So each can be raised
for one run, `dtc-select run --limit rows=10000000` (repeatable; the flow's `limits` parameter),
and a message past a bound says how. The run records the limits it raised in manifest.json, so
`dtc-select verify` reruns it with the same ones.

What never moves, and so is not here: the call file's own bounds (`call/limits.py`: YAML depth and
aliases, its size, seats, weights, needs, dates: a call needing more is a mistyped call), the rows
of a worksheet (a spreadsheet program holds no more) and the refusal of a FIFO or device. The core
never reads these from a global: the command line builds one `Limits` and passes it down.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields, replace

from dtc_select.errors import UsageError


@dataclass(frozen=True)
class Limits:
    """The raisable bounds, their defaults, and why each default is what it is."""

    # A data file on disk, in MB: the benchmarks' largest (2.4 million score rows) is about 100 MB.
    file_mb: int = 256
    # Data rows of a CSV file: twice the benchmarks' 2.4 million score rows.
    rows: int = 5_000_000
    # Columns of a table: the applications contract has 27, a form export a few hundred.
    columns: int = 1_000
    # Characters in one cell: three times what a spreadsheet cell holds (Excel: 32,767).
    cell_chars: int = 100_000
    # An XLSX workbook's parts once unpacked, in MB (worksheet XML is parsed, shared strings held).
    xlsx_mb: int = 512
    # Cells of a worksheet: each read costs about 70 bytes; 100,000 applications of 27 columns
    # are 2.7 million. Larger tables are read faster and in less memory as CSV.
    xlsx_cells: int = 5_000_000
    # Files read from a folder of returned scores (`run --scores FOLDER`): a sheet per reviewer;
    # a call has tens of reviewers, a thousand would be a wrong folder.
    score_files: int = 1_000
    # Weight samples times the applicants each is run on, in the stability analysis: the 100,000-
    # applicant benchmark runs 10,000 samples on about 5,000 (5e7) in a second; 1e10 is minutes.
    stability_cells: int = 10_000_000_000

    def raised(self) -> dict[str, int]:
        """{name: value} of the bounds that differ from the defaults (what manifest.json records)."""
        default = Limits()
        return {f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name) != getattr(default, f.name)}

    def with_values(self, values: dict[str, int]) -> Limits:
        """These limits with `values` ({name: value}); ValueError for an unknown name or a value
        that is not a whole number from 1 to LARGEST."""
        for name, value in values.items():
            if name not in NAMES:
                raise ValueError(f"no limit named {name!r}; the limits are {', '.join(NAMES)}")
            if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= LARGEST:
                raise ValueError(f"limit {name}: {value!r} is not a whole number from 1 to {LARGEST:_}")
        return replace(self, **values)


NAMES: tuple[str, ...] = tuple(f.name for f in fields(Limits))
# The largest value a limit takes: beyond any machine's memory, and within what the csv module's
# own bound on a cell accepts (a C long).
LARGEST = 10**15
DEFAULT_LIMITS = Limits()


def parse_limit(text: str) -> tuple[str, int]:
    """`NAME=VALUE` as typed after --limit (VALUE may be written 10000000, 10_000_000 or
    10,000,000) -> (name, value); ValueError in words otherwise."""
    name, equals, value = text.partition("=")
    name = name.strip().replace("-", "_")
    if not equals:
        raise ValueError(f"{text!r} is not NAME=VALUE (e.g. rows=10000000); the limits are {', '.join(NAMES)}")
    digits = value.strip().replace("_", "").replace(",", "")
    if not digits.isdigit():
        raise ValueError(f"{text!r}: {value.strip()!r} is not a whole number")
    DEFAULT_LIMITS.with_values({name: int(digits)})  # the name and value, checked
    return name, int(digits)


def raise_hint(limits: Limits, name: str, needed: int | None = None) -> str:
    """The end of a message past the bound `name`: how to allow more for this run. `needed`: what
    the input needs when it is known (rounded up), else the hint doubles the bound."""
    value = _round_up(needed) if needed is not None else 2 * getattr(limits, name)
    return f"pass --limit {name}={value} to allow more"


def _round_up(number: int) -> int:
    """The first round number (one significant digit) at or above `number`: 1,500 -> 2,000."""
    if number < 10:
        return number
    step = 10 ** int(math.log10(number))
    return -(-number // step) * step


def limits_parameter(values: dict[str, int] | None) -> Limits:
    """The default limits with a flow's `limits` parameter ({name: value}) applied; UsageError (exit
    2, one line) for an unknown name or a value out of range, as `--limit` is refused on the
    command line."""
    try:
        return DEFAULT_LIMITS.with_values(dict(values or {}))
    except ValueError as exc:
        raise UsageError(f"limits: {exc}") from None
