"""Outputs: safe to open in a spreadsheet, written whole or not at all."""

from __future__ import annotations

import os

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dtc_select.errors import OutputError
from dtc_select.runs.outputs import write_folder_atomically
from dtc_select.runs.safe_cells import csv_bytes, neutralise_formulas


@pytest.mark.parametrize("text", ["=HYPERLINK(\"http://x\")", "+1+1", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd"])
def test_a_cell_a_spreadsheet_would_run_as_a_formula_is_neutralised(text):
    safe = neutralise_formulas(pd.DataFrame({"institution_name": [text]}))
    assert safe.loc[0, "institution_name"] == "'" + text


def test_ordinary_text_and_numbers_are_left_alone():
    frame = pd.DataFrame({"name": ["Centre = hub", "A-1"], "score": [-0.5, 1.0]})
    safe = neutralise_formulas(frame)
    assert safe.equals(frame)


@given(st.lists(st.one_of(st.none(), st.text(alphabet="=+-@\t\r\x00ab ", max_size=4), st.integers(), st.booleans()),
                max_size=12), st.sampled_from(["object", "string", "str"]))
def test_exactly_the_text_cells_starting_like_a_formula_are_neutralised_whatever_the_column_holds(values, dtype):
    if dtype != "object" and any(not isinstance(v, (str, type(None))) for v in values):
        values = [v if v is None else str(v) for v in values]
    frame = pd.DataFrame({"name": pd.Series(values, dtype=dtype)})
    expected = ["'" + v if isinstance(v, str) and v.startswith(("=", "+", "-", "@", "\t", "\r")) else v
                for v in frame["name"].to_numpy(dtype=object)]
    safe = neutralise_formulas(frame)["name"].to_numpy(dtype=object).tolist()
    assert [v if isinstance(v, str) else None for v in safe] == [v if isinstance(v, str) else None for v in expected]
    assert [type(v) for v in safe if not isinstance(v, str) and not pd.isna(v)] == \
        [type(v) for v in expected if not isinstance(v, str) and not pd.isna(v)]


def test_the_same_table_gives_the_same_bytes():
    frame = pd.DataFrame({"a": ["x", None], "b": [1.5, 2.0]})
    assert csv_bytes(frame) == csv_bytes(frame.copy())
    assert b"\r\n" not in csv_bytes(frame)


def test_an_output_folder_appears_complete_with_every_file(tmp_path):
    out = tmp_path / "run"
    write_folder_atomically(out, {"a.csv": b"1\n", "b.json": b"{}\n"})
    assert sorted(p.name for p in out.iterdir()) == ["a.csv", "b.json"]
    assert [p.name for p in tmp_path.iterdir()] == ["run"]


def run_files(**files: bytes) -> dict[str, bytes]:
    """Files as a run writes them: with a manifest recording each one's SHA-256."""
    import hashlib
    import json

    outputs = {name: hashlib.sha256(data).hexdigest() for name, data in files.items()}
    return {**files, "manifest.json": json.dumps({"tool": "dtc-select", "outputs": outputs}).encode()}


def test_rewriting_a_previous_run_replaces_it_whole(tmp_path):
    out = tmp_path / "run"
    write_folder_atomically(out, run_files(**{"old.csv": b"old\n"}))
    write_folder_atomically(out, run_files(**{"new.csv": b"new\n"}))
    assert sorted(p.name for p in out.iterdir()) == ["manifest.json", "new.csv"]
    assert [p.name for p in tmp_path.iterdir()] == ["run"]


def test_a_failed_write_leaves_no_folder_behind(tmp_path, monkeypatch):
    out = tmp_path / "run"
    real_rename = os.rename

    def failing_rename(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "rename", failing_rename)
    with pytest.raises(OutputError, match="No space left on device"):
        write_folder_atomically(out, {"a.csv": b"1\n"})
    monkeypatch.setattr(os, "rename", real_rename)
    assert list(tmp_path.iterdir()) == []


def test_an_empty_text_table_is_written_with_its_header():
    empty = pd.DataFrame({"source_row": pd.Series(dtype="int64"), "problems": pd.Series(dtype="string")})
    assert csv_bytes(empty) == b"source_row,problems\n"


@given(st.lists(st.text(alphabet="ab\r\n,\"", max_size=6), min_size=1, max_size=8))
def test_a_line_end_inside_a_text_never_splits_its_row_in_a_csv(texts):
    import csv
    import io

    frame = pd.DataFrame({"application_id": [f"A{i}" for i in range(len(texts))], "comment": texts, "n": 1})
    rows = list(csv.reader(io.StringIO(csv_bytes(frame).decode("utf-8"), newline="")))
    assert [r[0] for r in rows] == ["application_id"] + list(frame["application_id"])
    expected = ["'" + t if t.startswith("\r") else t for t in texts]  # "\r" first: a formula start
    assert [r[1] for r in rows[1:]] == [t.replace("\r\n", "\n").replace("\r", "\n") for t in expected]


def _half_then(failure: BaseException):
    def writer(out) -> None:
        out.write(b"application_id,status\nA1,selected\n")  # half a file on disk, then the failure
        raise failure

    return writer


@pytest.mark.parametrize("failure", [RuntimeError("a bug in a writer"), KeyboardInterrupt(),
                                     OSError(28, "No space left on device")])
def test_a_file_failing_midway_leaves_the_previous_run_as_it_was_and_nothing_half_written(tmp_path, failure):
    out = tmp_path / "run"
    write_folder_atomically(out, run_files(**{"decisions.csv": b"old\n"}))
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    files = {"quarantine.csv": b"source_row\n", "decisions.csv": _half_then(failure)}
    expected = OutputError if isinstance(failure, OSError) else type(failure)
    with pytest.raises(expected):
        write_folder_atomically(out, files)
    assert [p.name for p in tmp_path.iterdir()] == ["run"]  # no hidden folder left beside it
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_a_file_failing_midway_in_a_new_folder_leaves_nothing(tmp_path):
    with pytest.raises(RuntimeError):
        write_folder_atomically(tmp_path / "run", {"decisions.csv": _half_then(RuntimeError("a bug"))})
    assert list(tmp_path.iterdir()) == []


def test_each_file_streamed_is_recorded_by_the_sha256_of_what_is_on_disk(tmp_path):
    import hashlib
    import json

    def seeking_writer(out) -> None:  # as a zip does: back to the start to finish a header
        out.write(b"xxxx body")
        out.seek(0)
        out.write(b"head")

    def manifest(hashes):
        return {"manifest.json": json.dumps({"tool": "dtc-select", "outputs": hashes}).encode()}

    out = tmp_path / "run"
    hashes = write_folder_atomically(out, {"a.bin": seeking_writer, "b.csv": b"1\n"}, then=manifest)
    recorded = json.loads((out / "manifest.json").read_text())["outputs"]
    assert recorded == {name: hashlib.sha256((out / name).read_bytes()).hexdigest() for name in ("a.bin", "b.csv")}
    assert (out / "a.bin").read_bytes() == b"head body" and set(hashes) == {"a.bin", "b.csv", "manifest.json"}


@given(st.lists(st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.none()), min_size=1, max_size=40),
       st.sampled_from(["float64", "Float64"]), st.integers(min_value=0, max_value=2**32 - 1))
def test_a_column_of_few_distinct_numbers_is_written_as_pandas_writes_each_cell(distinct, dtype, seed):
    import io
    import numpy as np

    rows = np.random.default_rng(seed).choice(len(distinct), size=1200)
    values = pd.array([distinct[i] for i in rows], dtype=dtype)
    frame = pd.DataFrame({"application_id": [f"A{i}" for i in range(len(rows))], "bonus": values,
                          "again": values})
    plain = io.BytesIO()
    frame.to_csv(plain, index=False, lineterminator="\n", encoding="utf-8")
    assert csv_bytes(frame) == plain.getvalue()
