"""`--out` never destroys: it writes a new folder, or replaces a previous run of ours and nothing else.

Whatever else is in the way (the user's files, the example's inputs, the current folder) stops the
run before any work, with one line and exit status 5, and is left exactly as it was.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dtc_select.cli import main
from dtc_select.errors import OutFolderInTheWay, OutputError
from dtc_select.runs.out_folder import check_out_folder
from dtc_select.runs.outputs import write_folder_atomically
from tests.conftest import EXAMPLES, PHASE1

OUTPUTS = {"decisions.csv", "decisions.xlsx", "quarantine.csv", "score_problems.csv", "report.html", "manifest.json"}


def snapshot(folder: Path) -> dict[str, bytes | None]:
    """Every file and folder under `folder` (hidden ones too), with each file's bytes."""
    return {str(p.relative_to(folder)): None if p.is_dir() else p.read_bytes() for p in sorted(folder.rglob("*"))}


def run(out, *, applications=EXAMPLES / "applications.csv", scores=None) -> int:
    extra = ["--scores", str(scores)] if scores else []
    return main(["run", "--call", str(PHASE1), "--applications", str(applications), *extra, "--out", str(out)])


def one_line(capsys) -> str:
    err = capsys.readouterr().err
    assert err.count("\n") == 1, err
    return err.strip()


def test_a_folder_holding_notes_and_a_subfolder_survives_and_the_run_is_refused_in_one_line(tmp_path, capsys):
    out = tmp_path / "mine"
    (out / "sub").mkdir(parents=True)
    (out / "notes.txt").write_text("my notes\n", encoding="utf-8")
    (out / "sub" / "f").write_bytes(b"kept\n")
    before = snapshot(tmp_path)
    assert run(out) == 5
    assert one_line(capsys) == (f"dtc-select: {out}: holds what dtc-select did not write (notes.txt, sub/); "
                                f"a run never removes it: give a new folder, or move those away")
    assert snapshot(tmp_path) == before


def test_the_examples_data_folder_survives_as_out_whether_or_not_the_inputs_are_read_from_it(tmp_path, capsys):
    examples = tmp_path / "examples"
    shutil.copytree(EXAMPLES, examples)
    before = snapshot(tmp_path)
    assert run(examples, applications=examples / "applications.csv", scores=examples / "scores.csv") == 5
    assert "an input of this run; a run never replaces its inputs" in one_line(capsys)
    assert run(examples) == 5  # inputs elsewhere: still the example's own files, not ours
    names = sorted(p.name + ("/" if p.is_dir() else "") for p in examples.iterdir())
    assert f"holds what dtc-select did not write ({', '.join(names[:3])} and {len(names) - 3} more)" in \
        one_line(capsys)
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("holding", [["notes.txt"], []], ids=["with files", "empty"])
def test_out_dot_is_refused_cleanly_and_leaves_no_hidden_folder(tmp_path, monkeypatch, capsys, holding):
    here = tmp_path / "here"
    here.mkdir()
    for name in holding:
        (here / name).write_text("mine\n", encoding="utf-8")
    monkeypatch.chdir(here)
    before = snapshot(tmp_path)
    assert run(".") == 5
    assert one_line(capsys) == ("dtc-select: .: is the current folder; a run never replaces it: "
                                "give a new folder, e.g. --out reports/my-run")
    assert run("..") == 5
    assert "is a folder holding the current folder" in one_line(capsys)
    assert snapshot(tmp_path) == before


def test_a_file_given_as_out_is_refused_and_kept(tmp_path, capsys):
    (tmp_path / "decisions.csv").write_bytes(b"mine\n")
    assert run(tmp_path / "decisions.csv") == 5
    assert "is a file, not a folder" in one_line(capsys)
    assert (tmp_path / "decisions.csv").read_bytes() == b"mine\n"


def test_a_previous_run_is_replaced_whole_and_an_empty_folder_is_filled(tmp_path, capsys):
    out = tmp_path / "run"
    out.mkdir()
    assert run(out) == 0
    first = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert run(out, scores=EXAMPLES / "scores.csv") == 0
    second = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert {p.name for p in out.iterdir()} == OUTPUTS
    assert [p.name for p in tmp_path.iterdir()] == ["run"]  # no hidden folder left beside it
    assert [i["role"] for i in first["inputs"]] == ["call", "applications"]
    assert [i["role"] for i in second["inputs"]] == ["call", "applications", "scores"]
    assert all(hashlib.sha256((out / name).read_bytes()).hexdigest() == digest
               for name, digest in second["outputs"].items())


def test_a_previous_run_whose_spreadsheet_was_edited_is_the_users_now_and_is_refused(tmp_path, capsys):
    out = tmp_path / "run"
    assert run(out) == 0
    capsys.readouterr()
    (out / "decisions.xlsx").write_bytes(b"edited in a spreadsheet")
    before = snapshot(tmp_path)
    assert run(out) == 5
    assert "decisions.xlsx, changed since the run wrote it" in one_line(capsys)
    assert snapshot(tmp_path) == before


def test_a_previous_run_with_a_file_added_by_hand_is_refused(tmp_path, capsys):
    out = tmp_path / "run"
    assert run(out) == 0
    capsys.readouterr()
    (out / "committee-notes.docx").write_bytes(b"minutes")
    assert run(out) == 5
    assert "(committee-notes.docx)" in one_line(capsys)
    assert (out / "committee-notes.docx").read_bytes() == b"minutes"


def test_a_manifest_from_another_tool_does_not_make_a_folder_ours(tmp_path):
    (tmp_path / "manifest.json").write_text(json.dumps({"tool": "other", "outputs": {}}), encoding="utf-8")
    with pytest.raises(OutFolderInTheWay, match=r"did not write \(manifest.json\)"):
        check_out_folder(tmp_path)


# The property: whatever the folders hold and wherever a run is told to write, no file or folder
# that a run did not write is ever removed or changed.
# Hidden names as a killed run's leftovers have, with a process id no system hands out (above Linux's
# largest pid_max): such folders without a run's mark must stay too.
NAMES = st.sampled_from(["notes.txt", "sub", "decisions.csv", "manifest.json", "report.html", "run",
                         ".run.partial-99999999-abc", ".run.old-99999999-abc", "data"])
TREE = st.recursive(st.binary(max_size=8), lambda children: st.dictionaries(NAMES, children, max_size=4),
                    max_leaves=10)


def _plant(folder: Path, tree) -> None:
    for name, content in tree.items():
        path = folder / name
        if isinstance(content, dict) and not path.is_file():
            path.mkdir(exist_ok=True)
            _plant(path, content)
        elif isinstance(content, bytes) and not path.is_dir():
            path.write_bytes(content)


def _run_files(marker: bytes) -> dict[str, bytes]:
    files = {"decisions.csv": b"application_id\n" + marker, "report.html": b"<p>" + marker}
    outputs = {name: hashlib.sha256(data).hexdigest() for name, data in files.items()}
    return {**files, "manifest.json": json.dumps({"tool": "dtc-select", "outputs": outputs}).encode()}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tree=st.dictionaries(NAMES, TREE, max_size=5), previous=st.booleans(), extra=st.one_of(st.none(), TREE),
       target=st.lists(NAMES, min_size=0, max_size=3), from_inside=st.booleans())
def test_no_file_a_run_did_not_write_is_ever_removed_or_changed(tree, previous, extra, target, from_inside):
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch) / "root"
        root.mkdir()
        if previous:  # a genuine previous run somewhere in the tree, perhaps with the user's files added
            write_folder_atomically(root / "run", _run_files(b"1"))
        ours = snapshot(root)
        _plant(root, tree if not isinstance(extra, dict) else {**tree, "run": extra})
        # What the run did not write: what was planted, and whatever planting changed in its files.
        theirs = {k: v for k, v in snapshot(root).items() if k not in ours or ours[k] != v}
        out = root.joinpath(*target)
        cwd = os.getcwd()
        os.chdir(out if from_inside and out.is_dir() else scratch)
        try:
            write_folder_atomically(out, _run_files(b"2"))
        except OutputError:
            pass
        finally:
            os.chdir(cwd)
        after = snapshot(root)
        assert {k: after.get(k, "removed") for k in theirs} == theirs
