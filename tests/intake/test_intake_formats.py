"""The same applications, however they were saved, lead to exactly the same decisions.

The example call's applications are saved three ways, as a committee receives them: the plain CSV,
a French spreadsheet's CSV (semicolons, Windows-1252, decimal commas, grouped thousands, oui/non,
the form's French headers mapped by the call file) and an XLSX workbook with real date, number and
yes/no cells. All three give the same decisions.csv, byte for byte.
"""

from __future__ import annotations

import csv
import json
import re

import openpyxl
import pandas as pd
import pytest

from dtc_select.intake import parsing
from dtc_select.cli import main
from tests.conftest import EXAMPLES, PHASE1, phase1_form

KIND = {field.id: field.kind for field in phase1_form().fields}
APPLICATION_FIELDS = KIND
DECIMAL = re.compile(r"^\d+\.\d+$")


def example_rows() -> pd.DataFrame:
    return pd.read_csv(EXAMPLES / "applications.csv", dtype=str, keep_default_na=False)


def french_cell(column: str, text: str) -> str:
    """A cell as a French spreadsheet program saves it."""
    if KIND[column] == "boolean":
        value, _ = parsing.parse_boolean(text) if text else (None, None)
        return text if value is None else ("oui" if value else "non")
    if KIND[column] in {"integer", "number"}:
        if DECIMAL.match(text):
            return text.replace(".", ",")
        if text.isdigit() and len(text) > 3:  # "198000" shown as "198 000" (no-break space)
            return f"{int(text):,}".replace(",", "\u00a0")
    return text


def write_french_csv(rows: pd.DataFrame, path, call) -> None:
    headers = [call.intake.column_names[c][0] for c in rows.columns]  # the form's French questions
    with open(path, "w", encoding="cp1252", newline="") as handle:
        writer = csv.writer(handle, delimiter=";", lineterminator="\r\n")
        writer.writerow(headers)
        for record in rows.to_dict("records"):
            writer.writerow([french_cell(c, v) for c, v in record.items()])


def xlsx_cell(column: str, text: str):
    """A cell as a spreadsheet stores it once typed in: numbers, dates and yes/no as such."""
    if not text:
        return None
    kind = KIND[column]
    if kind == "boolean":
        value, _ = parsing.parse_boolean(text)
        return text if value is None else value
    if kind in {"integer", "number"} and re.fullmatch(r"-?\d+", text):
        return int(text)
    if kind in {"integer", "number"} and re.fullmatch(r"-?\d+\.\d+", text):
        return float(text)
    if kind == "date":
        stamp, _ = parsing.parse_date(text)
        return text if stamp is None else stamp.tz_convert(None).to_pydatetime()  # Excel has no zone
    return text


def write_xlsx(rows: pd.DataFrame, path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Candidatures"
    sheet.append(list(rows.columns))
    for record in rows.to_dict("records"):
        sheet.append([xlsx_cell(c, v) for c, v in record.items()])
    for row in sheet.iter_rows():
        for cell in row:  # text typed with a leading "=" is stored as text (typed as '=...), not as a formula
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"
    book.save(path)


def run_cli(tmp_path, applications, name: str):
    out = tmp_path / name
    status = main(["run", "--call", str(PHASE1), "--applications", str(applications),
                   "--scores", str(EXAMPLES / "scores.csv"), "--out", str(out)])
    assert status == 0
    return out


@pytest.fixture(scope="module")
def three_runs(tmp_path_factory, call):
    folder = tmp_path_factory.mktemp("formats")
    rows = example_rows()
    french, workbook = folder / "candidatures.csv", folder / "applications.xlsx"
    write_french_csv(rows, french, call)
    write_xlsx(rows, workbook)
    return {name: run_cli(folder, path, name) for name, path in
            {"plain": EXAMPLES / "applications.csv", "french": french, "xlsx": workbook}.items()}


def test_the_french_file_really_is_what_a_french_spreadsheet_writes(three_runs, tmp_path_factory):
    data = (three_runs["french"].parent / "candidatures.csv").read_bytes()
    assert b"\r\n" in data and data.split(b"\r\n")[0].count(b";") == len(APPLICATION_FIELDS) - 1
    assert "Nom de l'institution".encode("cp1252") in data and "À but non lucratif".encode("cp1252") in data
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert b";oui;" in data and b";non;" in data and b"\xa0" in data and re.search(rb";\d+,\d+;", data)


def test_plain_csv_french_csv_and_xlsx_give_byte_identical_decisions(three_runs):
    plain = (three_runs["plain"] / "decisions.csv").read_bytes()
    assert (three_runs["french"] / "decisions.csv").read_bytes() == plain
    assert (three_runs["xlsx"] / "decisions.csv").read_bytes() == plain
    assert plain.count(b"\n") == 1 + 80  # the 90 example rows less the 10 quarantined


def test_the_same_rows_are_quarantined_from_every_format(three_runs):
    keys = {name: pd.read_csv(out / "quarantine.csv", dtype=str)[["source_row", "application_id"]]
            for name, out in three_runs.items()}
    assert len(keys["plain"]) == 10
    for name in ("french", "xlsx"):
        pd.testing.assert_frame_equal(keys[name], keys["plain"])


def test_the_manifest_records_how_each_file_was_read(three_runs):
    read_as = {name: json.loads((out / "manifest.json").read_text(encoding="utf-8"))["inputs"][1]["read_as"]
               for name, out in three_runs.items()}
    assert read_as["plain"] | {"rows": 0} == {"format": "csv", "encoding": "utf-8", "separator": ",", "sheet": None,
                                               "rows": 0, "column_names": {}}
    french = read_as["french"]
    assert (french["format"], french["encoding"], french["separator"]) == ("csv", "cp1252", ";")
    assert french["column_names"]["Nom de l'institution"] == "institution_name"
    assert french["column_names"]["Date de soumission"] == "submitted_at"
    assert len(french["column_names"]) == len(APPLICATION_FIELDS)
    assert (read_as["xlsx"]["format"], read_as["xlsx"]["sheet"]) == ("xlsx", "Candidatures")
    assert all(r["rows"] == 90 for r in read_as.values())


# --- headers mapped by the call file ----------------------------------------------------------------

def test_mapped_headers_match_without_case_accents_or_punctuation(tmp_path, call):
    from dtc_select.intake.applications import read_table

    path = tmp_path / "a.csv"
    path.write_text("N° DE CANDIDATURE;nom de l’institution ;A BUT NON-LUCRATIF ?;Horodateur;Notes\n"
                    "A-1;Centre;oui;2019-11-01;ok\n", encoding="utf-8")
    raw = read_table(path, column_names=call.intake.column_names)
    assert list(raw.frame.columns) == ["application_id", "institution_name", "non_profit", "submitted_at", "notes"]
    assert raw.info["column_names"] == {"N° DE CANDIDATURE": "application_id",
                                        "nom de l’institution": "institution_name",
                                        "A BUT NON-LUCRATIF ?": "non_profit", "Horodateur": "submitted_at"}


def test_a_header_and_its_mapped_spelling_both_present_is_a_file_problem_naming_both(tmp_path, call):
    from dtc_select.intake.applications import read_table, take_in

    path = tmp_path / "a.csv"
    rows = example_rows().head(2).assign(Pays=["Kenya", "Kenya"])
    rows.to_csv(path, index=False)
    with pytest.raises(Exception) as error:
        take_in(read_table(path, column_names=call.intake.column_names), lambda s: s, call.form)
    assert "several columns mean 'country' (columns 3 'country', 28 'Pays'): keep one" in str(error.value)


def test_french_headers_without_a_mapping_say_how_to_map_them(tmp_path, call, capsys):
    unmapped = tmp_path / "call.yaml"
    text = PHASE1.read_text(encoding="utf-8")
    unmapped.write_text(text[: text.index("\n# How the applications file's headers are read.")] + "\n",
                        encoding="utf-8")
    french = tmp_path / "candidatures.csv"
    write_french_csv(example_rows().head(3), french, call)
    status = main(["run", "--call", str(unmapped), "--applications", str(french), "--out", str(tmp_path / "out")])
    message = capsys.readouterr().err
    assert status == 3 and not (tmp_path / "out").exists()
    # The form's own French questions ('N° de candidature', 'Nom de l'institution') read without a
    # mapping; the spreadsheet's other French headers do not.
    assert message.count("\n") == 1 and message.startswith(f"dtc-select: {french}: missing required columns: "
                                                           "country, non_profit,")
    assert "headers not recognised: 'Pays', 'À but non lucratif'" in message
    assert "intake.column_names" in message


def test_a_call_file_mapping_mistake_names_the_key(tmp_path):
    from dtc_select.call.model import load_call
    from dtc_select.errors import CallFileError

    base = PHASE1.read_text(encoding="utf-8")
    trainers = '    trainers: ["Formateurs", "Nombre de formateurs"]\n'
    cases = [
        ('    city: ["Ville", "Localité"]\n', '    citi: ["Ville"]\n',
         "intake.column_names.citi: unknown field of the call's form 'citi'"),
        (trainers, '    trainers: ["Formateurs", "PAYS"]\n',
         "intake.column_names: 'PAYS' is given for trainers but already means country (given as 'Pays')"),
        (trainers, '    trainers: ["Formateurs", "non-profit"]\n',
         "intake.column_names: 'non-profit' is given for trainers but already means non_profit (its own name)"),
        (trainers, "    trainers: []\n", "intake.column_names.trainers: "),
    ]
    for old, new, words in cases:
        assert old in base, old
        path = tmp_path / "call.yaml"
        path.write_text(base.replace(old, new, 1), encoding="utf-8")
        with pytest.raises(CallFileError) as error:
            load_call(path)
        assert str(error.value).startswith(f"{path}: {words}"), str(error.value)


def test_every_spelling_of_the_shipped_mapping_is_recognised(call):
    lookup = parsing.header_lookup(call.intake.column_names)
    for column, spellings in call.intake.column_names.items():
        assert call.intake.reference.startswith("Annex") and call.intake.description_fr
        for spelling in spellings:
            assert lookup[parsing.header_key(spelling)] == column


def test_the_user_guides_quarantine_example_is_what_the_example_call_writes(three_runs):
    from tests.conftest import ROOT

    readme = (ROOT / "docs" / "running.md").read_text(encoding="utf-8")
    example = readme.split("From the example call:\n\n```\n", 1)[1].split("```", 1)[0].splitlines()
    written = (three_runs["plain"] / "quarantine.csv").read_text(encoding="utf-8").splitlines()
    assert example[0] == written[0] and len(example) == 3
    assert set(example[1:]) <= set(written)
