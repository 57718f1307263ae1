"""What goes out and comes back (Annex §3): the public call, the application form, the reviewers'
assignment and their score sheets, all made from the call file (contract: shared spec paperwork.md).

- `form.py`            the call's application form, field by field (one accessor for every writer)
- `call_page.py`       the public call, English and French (`templates/call.html.j2`)
- `application_workbook.py`, `xlsform.py`   the form as a workbook and as an XLSForm
- `reviewers.py`       the reviewers file: affiliation and declared conflicts, checked
- `assignment.py`      applications -> K reviewers each: no conflict, both parties, even loads
- `workbooks.py`       XlsxWriter with fixed dates and safe text: same inputs, same bytes
- `score_sheets.py`    one score-sheet workbook per reviewer
- `commands.py`        `assign` and `pack`: the files each command writes
Returned sheets are read back by `intake/score_sheets.py`.
"""
