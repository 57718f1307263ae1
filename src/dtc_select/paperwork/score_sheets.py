"""One score-sheet workbook per reviewer (paperwork.md §2), read back by `intake/score_sheets.py`.

Sheet `scores`: row 1 holds the column ids the intake reads (`application_id`, `institution_name`,
`country`, one column per reviewer-scored criterion headed by its id, `conflict_of_interest`,
`comment`); each criterion's name in English and French is in its header cell's note. One row per
assigned application. The score cells offer the call's scale as a drop-down (1-5 for the shipped
calls) and refuse anything else; the conflict cells offer yes/no.
Sheet `criteria`: each criterion explained in English and French, with its Annex reference.
Sheet `about`: the call, the reviewer, and the applications assigned (the intake checks returned
rows against this list, so a row added for another application is named, never counted).
"""

from __future__ import annotations

import pandas as pd

from dtc_select.paperwork.reviewers import Reviewer
from dtc_select.paperwork.workbooks import column_letter, finished, new_workbook, safe_text
from dtc_select.runs.safe_cells import neutralise_formulas

SHEET, CRITERIA_SHEET, ABOUT_SHEET = "scores", "criteria", "about"
LEADING = ("application_id", "institution_name", "country")
TRAILING = ("conflict_of_interest", "comment")
YES_NO = ["yes", "no"]


def scored_criteria(call) -> list:
    return [c for c in call.criteria if c.reviewer_scored]


def sheet_columns(call) -> list[str]:
    return [*LEADING, *(c.id for c in scored_criteria(call)), *TRAILING]


def file_name(reviewer_id: str) -> str:
    return f"score-sheet-{reviewer_id}.xlsx"


def scale_values(call) -> list[int] | None:
    """The whole marks of the call's scale, for a drop-down; None when the scale is not whole."""
    low, high = call.scoring.scale.min, call.scoring.scale.max
    if float(low).is_integer() and float(high).is_integer() and high - low <= 20:
        return list(range(int(low), int(high) + 1))
    return None


def score_sheet(call, reviewer: Reviewer, applications: pd.DataFrame) -> bytes:
    """`applications`: the reviewer's applications, columns application_id, institution_name, country."""
    rows = neutralise_formulas(applications[list(LEADING)].astype(object)).sort_values("application_id")
    book, buffer = new_workbook()
    bold = book.add_format({"bold": True, "bg_color": "#E8EEF7", "border": 1, "text_wrap": True, "valign": "top"})
    locked_text = book.add_format({"bg_color": "#F3F3F3", "text_wrap": True, "valign": "top"})
    score_cell = book.add_format({"bg_color": "#FFF9E0", "border": 1, "align": "center"})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    criteria = scored_criteria(call)
    columns = sheet_columns(call)
    sheet = book.add_worksheet(SHEET)
    sheet.freeze_panes(1, 1)
    for j, column in enumerate(columns):
        sheet.write_string(0, j, column, bold)
    for j, criterion in enumerate(criteria, start=len(LEADING)):
        sheet.write_comment(0, j, f"{criterion.label or criterion.id}: {criterion.description}\n\n"
                                  f"{criterion.label_fr or criterion.id} : {criterion.description_fr or ''}",
                            {"x_scale": 2.5, "y_scale": 2})
    last = max(len(rows), 1)
    for i, row in enumerate(rows.itertuples(index=False), start=1):
        for j, value in enumerate(row):
            sheet.write_string(i, j, safe_text("" if pd.isna(value) else value), locked_text)
        for j in range(len(LEADING), len(columns) - 1):
            sheet.write_blank(i, j, None, score_cell)
    first_score, last_score = len(LEADING), len(LEADING) + len(criteria) - 1
    scale = scale_values(call)
    low, high = call.scoring.scale.min, call.scoring.scale.max
    rule = ({"validate": "list", "source": scale} if scale else
            {"validate": "decimal", "criteria": "between", "minimum": low, "maximum": high})
    sheet.data_validation(1, first_score, last, last_score, {
        **rule, "input_title": "Score / Note", "input_message": f"{low:g} (weak / faible) - {high:g} (strong / fort)",
        "error_title": "Score / Note", "error_message": f"A score from {low:g} to {high:g} / une note de {low:g} à {high:g}"})
    conflict = len(columns) - 2
    sheet.data_validation(1, conflict, last, conflict, {
        "validate": "list", "source": YES_NO, "input_title": "Conflict / Conflit",
        "input_message": "yes: your scores for this application are left out / oui : vos notes sont écartées"})
    sheet.set_column(0, 0, 16)
    sheet.set_column(1, 1, 36)
    sheet.set_column(2, 2, 16)
    sheet.set_column(first_score, last_score, 14)
    sheet.set_column(conflict, conflict, 20)
    sheet.set_column(conflict + 1, conflict + 1, 50, wrap)
    _criteria_sheet(book, call, bold, wrap)
    _about_sheet(book, call, reviewer, list(rows["application_id"]), bold)
    return finished(book, buffer)


def _criteria_sheet(book, call, bold, wrap) -> None:
    sheet = book.add_worksheet(CRITERIA_SHEET)
    headers = ["criterion", "name", "nom", "what to judge", "ce qu'il faut juger", "source", "weight"]
    for j, header in enumerate(headers):
        sheet.write_string(0, j, header, bold)
    for i, c in enumerate(scored_criteria(call), start=1):
        cells = [c.id, c.label or c.id, c.label_fr or c.label or c.id, c.description, c.description_fr or "",
                 c.reference or ""]
        for j, text in enumerate(cells):
            sheet.write_string(i, j, text, wrap)
        sheet.write_number(i, len(cells), c.weight)
    low, high = call.scoring.scale.min, call.scoring.scale.max
    note = len(scored_criteria(call)) + 2
    sheet.write_string(note, 0, f"Scores run from {low:g} (weak) to {high:g} (strong). Leave a cell empty when you "
                                f"cannot judge; mark a conflict of interest and your scores for that application "
                                f"are left out.", wrap)
    sheet.write_string(note + 1, 0, f"Les notes vont de {low:g} (faible) à {high:g} (fort). Laissez une case vide si "
                                    f"vous ne pouvez pas juger ; en cas de conflit d'intérêts, indiquez-le et vos "
                                    f"notes pour cette candidature sont écartées.", wrap)
    sheet.set_column(0, 0, 20)
    sheet.set_column(1, 2, 22)
    sheet.set_column(3, 4, 60)
    sheet.set_column(5, 5, 28)


def _about_sheet(book, call, reviewer: Reviewer, assigned: list[str], bold) -> None:
    sheet = book.add_worksheet(ABOUT_SHEET)
    facts = [("call", call.id), ("reviewer_id", reviewer.reviewer_id), ("reviewer", reviewer.name),
             ("affiliation", reviewer.affiliation)]
    for i, (key, value) in enumerate(facts):
        sheet.write_string(i, 0, key, bold)
        sheet.write_string(i, 1, safe_text(value))
    sheet.write_string(len(facts) + 1, 0, "assigned", bold)
    for i, application_id in enumerate(assigned, start=len(facts) + 1):
        sheet.write_string(i, 1, safe_text(application_id))
    sheet.set_column(0, 0, 14)
    sheet.set_column(1, 1, 40)


def cell_name(row: int, column: int) -> str:
    """(0, 0) -> A1."""
    return f"{column_letter(column)}{row + 1}"
