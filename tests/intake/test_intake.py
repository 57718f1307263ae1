"""Intake: files become text tables, rows become applications or quarantine, nothing is lost."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dtc_select.errors import InputFileError
from dtc_select.intake.applications import RawTable, read_table
from dtc_select.intake.scores import take_in_scores
from dtc_select.intake.applications import take_in as take_in_form
from tests.conftest import GOOD_APPLICATION, make_applications, phase1_columns, phase1_form

APPLICATION_COLUMNS = phase1_columns()
REQUIRED_APPLICATION_COLUMNS = phase1_columns(required_only=True)


def take_in(raw, resolve_country, **options):
    """Intake by the phase-1 call's form (contract §1)."""
    return take_in_form(raw, resolve_country, phase1_form(), **options)

COUNTRIES = {
    "SENEGAL": "SEN", "SÉNÉGAL": "SEN", "SN": "SEN", "SEN": "SEN", "KENYA": "KEN", "KE": "KEN",
    "CÔTE D'IVOIRE": "CIV", "COTE D'IVOIRE": "CIV", "CIV": "CIV",
}


def resolve(series: pd.Series) -> pd.Series:
    return series.str.upper().map(COUNTRIES)


def raw_of(frame: pd.DataFrame) -> RawTable:
    """A RawTable as read_table would give it, straight from text rows."""
    text = frame.astype(object).where(frame.notna(), None)
    text = pd.DataFrame({c: pd.array(text[c].tolist(), dtype="string") for c in text.columns})
    return RawTable("test.csv", text.reset_index(drop=True), {"format": "csv", "rows": len(text)})


def intake_of(frame: pd.DataFrame):
    return take_in(raw_of(frame), resolve)


def problems_of(frame: pd.DataFrame) -> str:
    taken = intake_of(frame)
    assert len(taken.quarantine) == 1, taken.quarantine
    return taken.quarantine["problems"].iloc[0]


# --- reading files ---------------------------------------------------------------------------------

def test_a_utf8_file_with_a_byte_order_mark_reads_its_first_header_correctly(tmp_path):
    path = tmp_path / "apps.csv"
    make_applications(2).to_csv(path, index=False, encoding="utf-8-sig")
    raw = read_table(path)
    assert raw.info["encoding"] == "utf-8-sig"
    assert list(raw.frame.columns[:2]) == ["application_id", "institution_name"]
    assert take_in(raw, resolve).applications["application_id"].tolist() == ["A-001", "A-002"]


def test_a_windows_1252_file_keeps_its_accents(tmp_path):
    path = tmp_path / "apps.csv"
    frame = make_applications(2, country=["Côte d'Ivoire", "Sénégal"], institution_name="Centre numérique")
    path.write_bytes(frame.to_csv(index=False, sep=";").encode("cp1252"))
    raw = read_table(path)
    assert raw.info["encoding"] == "cp1252"
    taken = take_in(raw, resolve)
    assert taken.applications["country"].tolist() == ["Côte d'Ivoire", "Sénégal"]
    assert taken.applications["country_iso3"].tolist() == ["CIV", "SEN"]
    assert taken.applications["institution_name"].iloc[0] == "Centre numérique"


def test_a_semicolon_csv_with_decimal_commas_reads_like_a_comma_csv(tmp_path):
    frame = make_applications(2, internet_mbps=["2.5", "10"], committed_budget_usd=["1234.5", "0"])
    comma = tmp_path / "comma.csv"
    frame.to_csv(comma, index=False)
    semicolon = tmp_path / "semicolon.csv"
    french = frame.assign(internet_mbps=["2,5", "10"], committed_budget_usd=["1 234,5", "0"])
    french.to_csv(semicolon, index=False, sep=";")
    raw = read_table(semicolon)
    assert raw.info["separator"] == ";" and read_table(comma).info["separator"] == ","
    a = take_in(read_table(comma), resolve).applications
    b = take_in(raw, resolve).applications
    pd.testing.assert_frame_equal(a, b)
    assert b["internet_mbps"].tolist() == [2.5, 10.0]
    assert b["committed_budget_usd"].tolist() == [1234.5, 0.0]


def test_an_xlsx_file_with_real_date_and_number_cells_reads_as_text_then_parses(tmp_path):
    path = tmp_path / "apps.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    header = list(make_applications(1).columns)
    sheet.append(header)
    for i, when in enumerate([dt.datetime(2019, 11, 30), dt.datetime(2019, 11, 2, 14, 30)]):
        row = dict(make_applications(1).iloc[0])
        row.update(application_id=f"X-{i}", submitted_at=when, training_labs=12.0, workstations=40,
                   internet_mbps=2.5, non_profit=True)
        sheet.append([row[c] for c in header])
    sheet.append([None] * len(header))  # blank rows at the end are not rows
    book.save(path)
    raw = read_table(path)
    assert raw.info["format"] == "xlsx" and raw.info["rows"] == 2
    assert raw.frame["submitted_at"].tolist() == ["2019-11-30", "2019-11-02T14:30:00"]
    assert raw.frame["training_labs"].tolist() == ["12", "12"]
    assert raw.frame["non_profit"].tolist() == ["true", "true"]
    apps = take_in(raw, resolve).applications
    assert apps["training_labs"].tolist() == [12, 12]
    assert apps["internet_mbps"].tolist() == [2.5, 2.5]
    assert apps["submitted_at"].iloc[1] == pd.Timestamp("2019-11-02 14:30", tz="UTC")


def test_an_xlsx_sheet_can_be_chosen_by_name_and_a_wrong_name_lists_the_sheets(tmp_path):
    path = tmp_path / "apps.xlsx"
    book = openpyxl.Workbook()
    book.active.title = "Notes"
    book.active.append(["nothing here"])
    data = book.create_sheet("Applications")
    frame = make_applications(1)
    data.append(list(frame.columns))
    data.append(frame.iloc[0].tolist())
    book.save(path)
    assert len(take_in(read_table(path, sheet="Applications"), resolve).applications) == 1
    with pytest.raises(InputFileError, match="Notes, Applications"):
        read_table(path, sheet="Apps")


def test_a_blank_row_in_the_middle_keeps_the_row_numbers_true(tmp_path):
    path = tmp_path / "apps.csv"
    lines = make_applications(3).to_csv(index=False).splitlines()
    path.write_text("\n".join(lines[:2] + [""] + lines[2:] + ["", ""]) + "\n", encoding="utf-8")
    taken = take_in(read_table(path), resolve)
    assert taken.applications["source_row"].tolist() == [1, 3, 4]
    assert taken.quarantine["source_row"].tolist() == [2]
    assert taken.quarantine["application_id"].isna().all()
    assert taken.quarantine["problems"].tolist() == ["the row is empty"]


def test_headers_are_normalised(tmp_path):
    path = tmp_path / "apps.csv"
    frame = make_applications(1).rename(columns={"application_id": " Application ID ",
                                                 "non_profit": "Non-Profit"})
    frame.to_csv(path, index=False)
    assert {"application_id", "non_profit"} <= set(read_table(path).frame.columns)


def test_every_cell_is_text_or_missing(tmp_path):
    path = tmp_path / "apps.csv"
    make_applications(2, city=["  ", ""]).to_csv(path, index=False)
    frame = read_table(path).frame
    assert frame["city"].isna().all()
    assert all(isinstance(v, str) or v is pd.NA for c in frame for v in frame[c].tolist())
    assert frame["application_id"].tolist() == ["A-001", "A-002"]
    assert list(frame.index) == [0, 1]


@pytest.mark.parametrize("content, words", [
    (b"", "empty"),
    (b"  \r\n\n", "empty"),
    (b"%PDF-1.4\x00\x00\x01binary", "is a PDF document"),
    (b"id,name\n\x00\x00\x01binary", "binary"),
    (b"\n\napplication_id,country\nA-1,Kenya\n", "no header"),
])
def test_an_unusable_file_raises_one_line_naming_the_file(tmp_path, content, words):
    path = tmp_path / "applications.csv"
    path.write_bytes(content)
    with pytest.raises(InputFileError) as error:
        read_table(path)
    message = str(error.value)
    assert message.startswith(str(path)) and words in message and "\n" not in message


def test_a_missing_file_and_a_broken_workbook_name_the_file(tmp_path):
    with pytest.raises(InputFileError, match="not found"):
        read_table(tmp_path / "nothing.csv")
    broken = tmp_path / "apps.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(InputFileError, match="damaged or incomplete XLSX workbook") as error:
        read_table(broken)
    assert "\n" not in str(error.value)


def test_an_unknown_extension_is_read_as_csv(tmp_path):
    path = tmp_path / "apps.txt"
    make_applications(1).to_csv(path, index=False)
    assert read_table(path).info["format"] == "csv"


def test_an_unclosed_quote_is_a_file_problem_not_lost_rows(tmp_path):
    path = tmp_path / "apps.csv"
    path.write_text('application_id,institution_name\nA-1,"Centre\nA-2,Other\n', encoding="utf-8")
    with pytest.raises(InputFileError, match="line 2 is never closed"):
        read_table(path)


def test_a_row_with_too_many_cells_is_quarantined(tmp_path):
    path = tmp_path / "apps.csv"
    lines = make_applications(2).to_csv(index=False).splitlines()
    lines[2] += ",surplus"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    taken = take_in(read_table(path), resolve)
    assert taken.quarantine["source_row"].tolist() == [2]
    assert "header has 27 columns" in taken.quarantine["problems"].iloc[0]


def test_duplicate_headers_are_a_file_problem_named_with_every_other_one(tmp_path):
    path = tmp_path / "apps.csv"
    path.write_text("application_id,Country,country\nA-1,Kenya,Kenya\n", encoding="utf-8")
    with pytest.raises(InputFileError) as error:
        take_in(read_table(path), resolve)
    assert "several columns mean 'country' (columns 2 'Country', 3 'country'): keep one" in str(error.value)
    assert "missing required columns: institution_name, organisation_type" in str(error.value)


# --- taking in applications ---------------------------------------------------------------------

def test_missing_required_columns_are_all_named_in_one_error():
    frame = make_applications(1).drop(columns=["country", "non_profit", "submitted_at", "city"])
    with pytest.raises(InputFileError) as error:
        intake_of(frame)
    assert "missing required columns: country, non_profit, submitted_at" in str(error.value)
    assert "city" not in str(error.value)


def test_missing_optional_columns_are_added_as_not_stated():
    frame = make_applications(1)[list(REQUIRED_APPLICATION_COLUMNS)]
    apps = intake_of(frame).applications
    assert list(apps.columns) == ["source_row", *APPLICATION_COLUMNS, "country_iso3", "possible_duplicate_of"]
    assert apps["research_capacity"].isna().all() and apps["internet_mbps"].isna().all()


def test_parsed_columns_have_their_types():
    apps = intake_of(make_applications(2)).applications
    assert apps["source_row"].dtype == "int64"
    assert apps["non_profit"].dtype == "boolean"
    assert apps["training_labs"].dtype == "Int64"
    assert apps["internet_mbps"].dtype == "Float64"
    assert isinstance(apps["submitted_at"].dtype, pd.DatetimeTZDtype)
    assert str(apps["submitted_at"].dtype.tz) == "UTC"
    assert apps["country_iso3"].tolist() == ["SEN", "SEN"]
    assert isinstance(apps.index, pd.RangeIndex)


@pytest.mark.parametrize("text, value", [
    ("true", True), ("FALSE", False), ("Yes", True), ("no", False), (" Y ", True), ("n", False),
    ("1", True), ("0", False), ("Oui", True), ("NON", False), ("vrai", True), ("Faux", False),
    ("x", True), ("X", True), ("", pd.NA),
])
def test_every_boolean_spelling_is_understood(text, value):
    apps = intake_of(make_applications(1, research_capacity=text, non_profit=text or "yes")).applications
    assert apps["research_capacity"].iloc[0] is value if value is pd.NA else apps["research_capacity"].iloc[0] == value


def test_an_empty_required_boolean_is_a_problem_but_an_empty_optional_one_is_not_stated():
    assert problems_of(make_applications(1, non_profit="")) == "non_profit is empty; it is required"
    apps = intake_of(make_applications(1, scaling_plan="")).applications
    assert apps["scaling_plan"].isna().all()


def test_an_unreadable_boolean_names_the_column_and_the_value():
    assert problems_of(make_applications(1, non_profit="maybe")).startswith("non_profit 'maybe' is not a yes/no")


@pytest.mark.parametrize("column, text, words", [
    ("training_labs", "two", "training_labs 'two' is not a whole number"),
    ("workstations", "-3", "workstations '-3' is negative"),
    ("training_labs", "2.5", "training_labs '2.5' is not a whole number"),
    ("training_labs", "1,5", "training_labs '1,5' is not a whole number (a comma"),
    ("internet_mbps", "fast", "internet_mbps 'fast' is not a number"),
    ("committed_budget_usd", "50,000", "committed_budget_usd '50,000' is ambiguous"),
    ("organisation_type", "charity", "organisation_type 'charity' is not one of: community_training_centre"),
    ("distance_learning", "maybe", "distance_learning 'maybe' is not one of: delivering, willing, no"),
    ("submitted_at", "03/04/2019",
     "submitted_at '03/04/2019' is ambiguous (day and month could be swapped); use YYYY-MM-DD"),
    ("submitted_at", "2019-02-30", "submitted_at '2019-02-30' is not a valid date"),
    ("submitted_at", "soon", "submitted_at 'soon' is not a date"),
    ("country", "Atlantis", "country 'Atlantis' is not a recognised country name or ISO code"),
    ("institution_name", " ", "institution_name is empty; it is required"),
])
def test_a_bad_cell_is_quarantined_with_words_naming_column_and_value(column, text, words):
    assert problems_of(make_applications(1, **{column: text})).startswith(words)


@pytest.mark.parametrize("column, text, value", [
    ("training_labs", "12.0", 12), ("workstations", " 1 200 ", 1200), ("workstations", "1\u202f200", 1200),
    ("internet_mbps", "2,5", 2.5), ("committed_budget_usd", "1 000 000", 1_000_000.0),
    ("organisation_type", "Public institution", "public_institution"),
    ("organisation_type", "University-Branch", "university_branch"),
    ("distance_learning", " Willing ", "willing"),
    ("submitted_at", "30/11/2019", pd.Timestamp("2019-11-30", tz="UTC")),
    ("submitted_at", "2019-11-30T10:00:00+02:00", pd.Timestamp("2019-11-30 08:00", tz="UTC")),
    ("submitted_at", "2019-11-30 23:59", pd.Timestamp("2019-11-30 23:59", tz="UTC")),
    ("country", "sn", "Senegal"),
])
def test_common_spellings_are_parsed(column, text, value):
    apps = intake_of(make_applications(1, **{column: text})).applications
    assert len(apps) == 1
    expected = "SEN" if column == "country" else value
    assert apps["country_iso3" if column == "country" else column].iloc[0] == expected


def test_every_problem_of_a_row_is_collected():
    frame = make_applications(2, training_labs=["two", "1"], workstations=["-3", "5"], non_profit=["", "y"],
                              country=["Atlantis", "Kenya"], submitted_at=["03/04/2019", "2019-01-01"])
    taken = intake_of(frame)
    assert taken.applications["application_id"].tolist() == ["A-002"]
    assert taken.quarantine["problems"].iloc[0] == "; ".join([
        "country 'Atlantis' is not a recognised country name or ISO code",
        "non_profit is empty; it is required",
        "training_labs 'two' is not a whole number",
        "workstations '-3' is negative",
        "submitted_at '03/04/2019' is ambiguous (day and month could be swapped); use YYYY-MM-DD: no other date "
        "of the column shows the order, and the call declares none (intake.date_order)",
    ])


def test_a_later_duplicate_application_id_is_quarantined_and_the_first_taken_in():
    frame = make_applications(4, application_id=["A-7", "A-8", "A-7", " A-7 "])
    taken = intake_of(frame)
    assert taken.applications["source_row"].tolist() == [1, 2]
    assert taken.quarantine["problems"].tolist() == [
        "duplicate application_id 'A-7' (first seen in row 1)"] * 2
    assert taken.quarantine["application_id"].tolist() == ["A-7", "A-7"]


def test_a_duplicate_of_an_invalid_first_row_is_not_promoted():
    frame = make_applications(2, application_id="A-7", workstations=["many", "5"])
    taken = intake_of(frame)
    assert taken.applications.empty
    assert taken.quarantine["problems"].tolist() == [
        "workstations 'many' is not a whole number",
        "duplicate application_id 'A-7' (first seen in row 1)"]


def test_extra_columns_are_kept_as_text_and_named():
    frame = make_applications(1).assign(**{"Reviewer notes": "ok", "source_row": "99"})
    frame = frame.rename(columns={"Reviewer notes": "reviewer_notes"})
    taken = intake_of(frame)
    assert taken.extra_columns == ("reviewer_notes", "input_source_row")
    assert taken.applications["reviewer_notes"].iloc[0] == "ok"
    assert taken.applications["source_row"].iloc[0] == 1


def test_the_quarantine_has_its_columns_even_when_empty():
    taken = intake_of(make_applications(2))
    assert list(taken.quarantine.columns) == ["source_row", "application_id", "problems"]
    assert taken.quarantine.empty and taken.extra_columns == ()


CORRUPTIONS = {
    "application_id": ["", "A-001"],
    "country": ["Atlantis", "", "ke"],
    "non_profit": ["maybe", "", "X"],
    "training_labs": ["two", "-1", "1,5", "3.0"],
    "internet_mbps": ["fast", "2,5", "-0.5"],
    "organisation_type": ["charity", "NGO"],
    "submitted_at": ["03/04/2019", "2019-13-01", "30/11/2019"],
    "description": ["=cmd()", "\x00"],
}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.dictionaries(st.sampled_from(sorted(CORRUPTIONS)), st.integers(0, 3)), min_size=1, max_size=12),
       st.lists(st.integers(0, 11), max_size=3))
def test_no_row_is_ever_lost(changes, blanks):
    frame = make_applications(len(changes))
    for i, change in enumerate(changes):
        for column, pick in change.items():
            options = CORRUPTIONS[column]
            frame.loc[i, column] = options[pick % len(options)]
    for i in blanks:
        if i < len(frame):
            frame.loc[i] = ""
    taken = intake_of(frame)
    assert len(taken.applications) + len(taken.quarantine) == len(frame)
    rows = sorted(taken.applications["source_row"].tolist() + taken.quarantine["source_row"].tolist())
    assert rows == list(range(1, len(frame) + 1))
    assert taken.quarantine["problems"].str.len().gt(0).all()
    assert taken.applications["application_id"].is_unique


# --- reviewer scores -----------------------------------------------------------------------------

CRITERIA = ("training_levels", "infrastructure", "reputation")


def scores_raw(rows: list[dict]) -> RawTable:
    columns = ["application_id", "reviewer_id", "criterion", "score", "comment", "conflict_of_interest"]
    return raw_of(pd.DataFrame([[row.get(c) or None for c in columns] for row in rows], columns=columns))


def test_scores_are_parsed_and_bad_rows_explained():
    raw = scores_raw([
        {"application_id": "A-1", "reviewer_id": "R1", "criterion": "training_levels", "score": "4"},
        {"application_id": "A-1", "reviewer_id": "R1", "criterion": "Infrastructure", "score": "3,5",
         "conflict_of_interest": "oui"},
        {"application_id": "A-1", "reviewer_id": "R2", "criterion": "charisma", "score": "9"},
        {"application_id": "", "reviewer_id": "", "criterion": "reputation", "score": "high"},
        {"application_id": "A-1", "reviewer_id": "R1", "criterion": "training_levels", "score": "5"},
    ])
    taken = take_in_scores(raw, CRITERIA, (1, 5))
    scores = taken.scores
    assert scores["criterion"].tolist() == ["training_levels", "infrastructure"]
    assert scores["score"].tolist() == [4.0, 3.5] and scores["score"].dtype == "float64"
    assert scores["conflict_of_interest"].tolist() == [pd.NA, True]
    assert scores["source_row"].tolist() == [1, 2]
    problems = dict(zip(taken.problems["source_row"], taken.problems["problems"]))
    assert problems[3] == ("criterion 'charisma' is not a criterion of the call (its criteria: "
                           "training_levels, infrastructure, reputation); score '9' is outside the scale 1 to 5")
    assert problems[4] == ("application_id is empty; it is required; reviewer_id is empty; it is required; "
                           "score 'high' is not a number")
    assert problems[5] == "reviewer 'R1' already scored training_levels for application 'A-1' in row 1"
    assert len(taken.scores) + len(taken.problems) == 5


def test_a_scores_file_missing_columns_names_them_all():
    frame = pd.DataFrame({"application_id": ["A-1"], "comment": ["fine"]})
    with pytest.raises(InputFileError, match="missing required columns: reviewer_id, criterion, score"):
        take_in_scores(raw_of(frame), CRITERIA, (1, 5))


def test_the_shared_good_application_is_taken_in():
    assert set(GOOD_APPLICATION) | {"application_id"} == set(APPLICATION_COLUMNS)
    assert len(intake_of(make_applications(3)).applications) == 3


def test_an_xlsx_keeps_blank_middle_rows_and_data_under_an_empty_header(tmp_path):
    path = tmp_path / "apps.xlsx"
    book = openpyxl.Workbook()
    frame = make_applications(2)
    book.active.append(list(frame.columns))
    book.active.append(frame.iloc[0].tolist())
    book.active.append([])
    book.active.append(frame.iloc[1].tolist() + [None, "late note"])
    book.save(path)
    raw = read_table(path)
    assert raw.info["rows"] == 3 and raw.frame.columns[-1] == "column_29"
    taken = take_in(raw, resolve)
    assert taken.applications["source_row"].tolist() == [1, 3]
    assert taken.extra_columns == ("column_29",)
    assert taken.quarantine["problems"].tolist() == ["the row is empty"]


@pytest.mark.parametrize("encoding, expected", [("utf-16", "utf-16"), ("latin-1", "latin-1")])
def test_other_text_encodings_are_recognised(tmp_path, encoding, expected):
    path = tmp_path / "apps.csv"
    text = "application_id\tcountry\nA-1\tCôte d'Ivoire\x81\n" if encoding == "latin-1" else \
        "application_id\tcountry\nA-1\tCôte d'Ivoire\n"
    path.write_bytes(text.encode(encoding))
    raw = read_table(path)
    assert raw.info["encoding"] == expected and raw.info["separator"] == "\t"
    assert raw.frame["country"].iloc[0].startswith("Côte d'Ivoire")


def test_an_old_excel_file_says_how_to_save_it(tmp_path):
    path = tmp_path / "apps.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64)
    with pytest.raises(InputFileError, match="save it as .xlsx"):
        read_table(path)


def test_a_file_with_only_a_header_takes_in_nothing_and_loses_nothing(tmp_path):
    path = tmp_path / "apps.csv"
    path.write_text(",".join(APPLICATION_COLUMNS) + "\n", encoding="utf-8")
    taken = take_in(read_table(path), resolve)
    assert taken.applications.empty and taken.quarantine.empty
    assert list(taken.applications.columns) == [
        "source_row", *APPLICATION_COLUMNS, "country_iso3", "possible_duplicate_of"]


def test_a_repeated_header_that_is_not_a_contract_column_is_kept_twice(tmp_path):
    path = tmp_path / "apps.csv"
    frame = make_applications(2)
    frame.insert(3, "Other (please specify)", ["a", "b"])
    frame["Other (please specify) "] = ["c", None]
    frame.to_csv(path, index=False)
    taken = take_in(read_table(path), resolve)
    assert taken.extra_columns == ("other_(please_specify)", "other_(please_specify)_29")
    assert taken.applications["other_(please_specify)_29"].tolist() == ["c", pd.NA]
    assert len(taken.applications) == 2


def test_a_csv_saved_under_an_xlsx_name_is_read_by_its_content(tmp_path):
    path = tmp_path / "apps.xlsx"
    make_applications(2).to_csv(path, index=False)
    raw = read_table(path)
    assert raw.info["format"] == "csv" and raw.info["rows"] == 2


def test_a_score_the_parser_lets_through_but_the_schema_refuses_is_a_problem_in_whichever_chunk_it_falls(monkeypatch):
    from dtc_select.intake import scores as scores_intake

    # A parser that lets an infinite mark through (a bug the schema exists to catch), and the
    # schema checking two rows at a time: the refused rows are in the first and the last chunk.
    monkeypatch.setattr(scores_intake, "CHECKED_ROWS", 2)
    monkeypatch.setattr(scores_intake, "_score_parser",
                        lambda low, high: lambda text: (float("inf"), None) if text == "inf" else (float(text), None))
    raw = scores_raw([{"application_id": f"A-{i}", "reviewer_id": "R1", "criterion": "reputation",
                       "score": "inf" if i in (2, 5) else "3"} for i in range(1, 6)])
    taken = take_in_scores(raw, CRITERIA, (1, 5))
    assert taken.scores["source_row"].tolist() == [1, 3, 4]
    assert dict(zip(taken.problems["source_row"], taken.problems["problems"])) == {
        2: "score 'inf' fails the check: finite number", 5: "score 'inf' fails the check: finite number"}
