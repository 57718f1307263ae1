"""The report workbook a centre fills in reads back with nothing lost."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest

from dtc_select.cli import main
from dtc_select.monitoring.reports import take_in_reports
from dtc_select.monitoring.template import write_template
from tests.monitoring.conftest import AS_OF, INDICATORS, PROGRAMME


def test_the_template_has_a_row_per_centre_for_the_period_and_the_contract_columns(tmp_path, programme):
    path = write_template(programme, tmp_path / "t.xlsx", period="2020-Q2")
    sheet = openpyxl.load_workbook(path).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("dtc_id", "period", *INDICATORS, "reported_on", "comment")
    assert [r[:2] for r in rows[1:]] == [(c.dtc_id, "2020-Q2") for c in programme.centres]


def test_a_filled_in_template_reads_back_with_every_figure_as_typed(tmp_path, programme):
    path = write_template(programme, tmp_path / "t.xlsx", period="2021-Q1", centres=["GHA", "civ"])
    book = openpyxl.load_workbook(path)
    sheet = book.worksheets[0]
    typed = {2: [3300, 700, 2720, 19, 9, 2, 40], 3: [0, 0, 0, 5, 5, 0, 0]}
    for row, values in typed.items():
        for column, value in enumerate(values, start=3):
            sheet.cell(row=row, column=column, value=value)
        sheet.cell(row=row, column=10, value=dt.datetime(2021, 4, 21))
        sheet.cell(row=row, column=11, value="Tout va bien, merci ; <b>pas</b> de formule =1+1")
    book.save(path)
    taken = take_in_reports([path], programme, AS_OF)
    assert taken.quarantine.empty
    read = {r.dtc_id: r for r in taken.rows.itertuples(index=False)}
    assert list(read) == ["GHA", "CIV"]
    for row, dtc_id in ((2, "GHA"), (3, "CIV")):
        assert [getattr(read[dtc_id], i) for i in INDICATORS] == typed[row]
        assert (read[dtc_id].period, read[dtc_id].reported_on) == ("2021-Q1", "2021-04-21")
        assert read[dtc_id].comment == "Tout va bien, merci ; <b>pas</b> de formule =1+1"


def test_the_command_writes_the_template_and_refuses_an_unknown_period_or_centre(tmp_path, capsys):
    assert main(["monitor", "--programme", str(PROGRAMME), "--template", str(tmp_path / "t.xlsx"),
                 "--period", "2020-Q3", "--centre", "PNG"]) == 0
    assert capsys.readouterr().out.strip().endswith("t.xlsx (one row per centre for 2020-Q3: PNG)")
    assert [r[:2] for r in openpyxl.load_workbook(tmp_path / "t.xlsx").worksheets[0].iter_rows(min_row=2, values_only=True)] \
        == [("PNG", "2020-Q3")]
    with pytest.raises(SystemExit) as exited:  # a usage mistake: argparse's one line, exit 2
        main(["monitor", "--programme", str(PROGRAMME), "--template", str(tmp_path / "u.xlsx"), "--period", "2022-Q1"])
    assert exited.value.code == 2
    assert "dtc-select monitor: --period '2022-Q1' is not a period of the programme (its periods: 2020-Q1 to 2021-Q3)" \
        in capsys.readouterr().err
    with pytest.raises(ValueError, match="--centre KEN: not a centre of the programme"):
        from dtc_select.monitoring.programme import load_programme
        write_template(load_programme(PROGRAMME), tmp_path / "v.xlsx", centres=["KEN"])


def test_the_template_is_written_the_same_byte_for_byte_every_time_with_its_input_checks(tmp_path, programme):
    first = write_template(programme, tmp_path / "a.xlsx", period="2020-Q2").read_bytes()
    second = write_template(programme, tmp_path / "b.xlsx", period="2020-Q2").read_bytes()
    assert first == second
    sheet = openpyxl.load_workbook(tmp_path / "a.xlsx").worksheets[0]
    checks = {(v.type, v.operator) for v in sheet.data_validations.dataValidation}
    assert checks == {("whole", "greaterThanOrEqual"), ("date", "greaterThan")}
    assert sheet.freeze_panes == "C2"
