"""The report workbook a centre fills in: one row per centre for one period, read back as is.

The first worksheet ("report") has the report's columns under their contract names (dtc_id,
period, one per reported indicator, reported_on, comment), `dtc_id` and `period` filled in, the
indicator cells restricted to whole numbers from 0 and `reported_on` to dates (Excel's data
validation: a typing mistake is refused where it is made). The second ("instructions /
consignes") says what each column means, in English and French, with its unit and Annex
reference. `take_in_reports` reads the first worksheet as any report: nothing typed is lost.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from dtc_select.errors import OutputError
from dtc_select.monitoring.periods import parse_period
from dtc_select.monitoring.programme import Programme

SHEET, HELP = "report", "instructions - consignes"
HELP_COLUMNS = ("column / colonne", "label", "libellé", "unit / unité", "meaning", "signification", "reference / référence")


def template_rows(programme: Programme, period: str | None = None, centres: list[str] | None = None) -> list[list]:
    """The report sheet's rows: the header, then one row per centre for `period` (the first by default).
    ValueError (a usage mistake, one line) for a period or centre the programme does not have."""
    period_text = period or programme.reporting.first_period
    parsed, problem = parse_period(period_text, programme.kind)
    if problem or parsed not in programme.periods:
        raise ValueError(f"--period {period_text!r} {problem or 'is not a period of the programme'} "
                         f"(its periods: {programme.periods[0]} to {programme.periods[-1]})")
    chosen = [c.upper() for c in centres] if centres else list(programme.centre_by_id)
    unknown = [c for c in chosen if c not in programme.centre_by_id]
    if unknown:
        raise ValueError(f"--centre {', '.join(unknown)}: not a centre of the programme "
                         f"(its centres: {', '.join(programme.centre_by_id)})")
    header = ["dtc_id", "period", *(i.id for i in programme.reported_indicators), "reported_on", "comment"]
    blanks = [None] * (len(header) - 2)
    return [header] + [[dtc_id, str(parsed), *blanks] for dtc_id in chosen]


def help_rows(programme: Programme) -> list[list[str]]:
    rows = [list(HELP_COLUMNS),
            ["dtc_id", "centre", "centre", "", "The centre's id (its host country's ISO3 code); filled in.",
             "L'identifiant du centre (code ISO3 du pays hôte) ; déjà rempli.", "Annex §5"],
            ["period", "period", "période", "", f"The period reported ({programme.reporting.period}); filled in.",
             "La période du rapport ; déjà remplie.", programme.reporting.reference]]
    for i in programme.reported_indicators:
        rows.append([i.id, i.label, i.label_fr, f"{i.unit} / {i.unit_fr or i.unit}", i.description,
                     i.description_fr or i.description, i.reference])
    rows.append(["reported_on", "reported on", "transmis le", "date", "The day the report is sent (YYYY-MM-DD).",
                 "Le jour où le rapport est envoyé (AAAA-MM-JJ).", programme.reporting.reference])
    rows.append(["comment", "comment", "commentaire", "", "Anything the committee should know (optional).",
                 "Ce que le comité devrait savoir (facultatif).", ""])
    rows.append([])
    rows.append(["", "Write 0 where there was none: an empty cell is read as not reported. Keep one row per centre.",
                 "Écrivez 0 s'il n'y en a eu aucun : une cellule vide se lit « non rapporté ». Une ligne par centre."])
    return rows


def write_template(programme: Programme, path: str | Path, *, period: str | None = None,
                   centres: list[str] | None = None) -> Path:
    """Write the workbook (XlsxWriter, as every workbook we write: same inputs, same bytes);
    OutputError (one line) when it cannot be saved."""
    from dtc_select.paperwork.workbooks import column_letter, finished, new_workbook, safe_text

    rows = template_rows(programme, period, centres)
    header, last = rows[0], len(rows)
    book, buffer = new_workbook()
    sheet = book.add_worksheet(SHEET)
    date_format = book.add_format({"num_format": "yyyy-mm-dd"})
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is not None:
                sheet.write_string(r, c, safe_text(value))
    for n, name in enumerate(header):
        letter = column_letter(n)
        sheet.set_column(n, n, max(12, len(name) + 2), date_format if name == "reported_on" else None)
        if name in programme.indicator_by_id:
            sheet.data_validation(f"{letter}2:{letter}{last}", {
                "validate": "integer", "criteria": ">=", "value": 0, "ignore_blank": True,
                "error_message": "A whole number from 0 / un nombre entier à partir de 0"})
        elif name == "reported_on":
            sheet.data_validation(f"{letter}2:{letter}{last}", {
                "validate": "date", "criteria": ">", "value": dt.date(2000, 1, 1), "ignore_blank": True,
                "error_message": "A date (YYYY-MM-DD) / une date (AAAA-MM-JJ)"})
    sheet.freeze_panes(1, 2)
    guide = book.add_worksheet(HELP)
    for r, row in enumerate(help_rows(programme)):
        for c, value in enumerate(row):
            guide.write_string(r, c, safe_text(value))
    data = finished(book, buffer)
    path = Path(path)
    try:
        path.write_bytes(data)
    except OSError as exc:
        raise OutputError(f"{path}: cannot write the template ({exc.strerror or exc})") from None
    return path
