"""Monitoring the selected centres (Annex §5): a sibling of the selection's stages.

After selection, each centre reports its activity period by period (people trained, women among
them, trainers trained, policy workshops). This stage reads a programme file
(`criteria/monitoring-<id>.yaml`: centres, indicators, targets, reporting period; `programme.py`),
takes in the centres' periodic reports as the selection takes in applications (`reports.py`,
reusing `intake.reading` and `intake.parsing`), adds them up against the targets (`progress.py`),
and writes progress.csv, reports_status.csv, quarantine.csv, manifest.json and a bilingual
report.html (`outputs.py`, `view.py`). `command.py` is the `dtc-select monitor` subcommand;
`template.py` writes the workbook a centre fills in. Contract: shared spec "monitoring.md".
"""
