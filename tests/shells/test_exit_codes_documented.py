"""The exit statuses the user guide's table lists are the ones the code gives, no more, no fewer:
the table (docs/running.md section 5), the command's docstring (cli.py) and the errors' codes
(errors.py) agree, and docs/limits.md names the statuses its errors carry."""

from __future__ import annotations

import re
from pathlib import Path

from dtc_select import cli, errors

ROOT = Path(__file__).resolve().parents[2]


def _documented_statuses() -> dict[int, str]:
    """{status: meaning} from the table under "`run`'s exit status"."""
    text = (ROOT / "docs" / "running.md").read_text(encoding="utf-8")
    table = text.split("`run`'s exit status:", 1)[1].split("\n\n", 2)[1]
    rows = [line for line in table.splitlines() if line.startswith("| ") and not line.startswith("| status")]
    return {int(line.split("|")[1]): line.split("|", 2)[2] for line in rows}


def _raised_statuses() -> set[int]:
    """The exit code of every error dtc-select raises on purpose (the base class's 1 is never given)."""
    found, todo = set(), [errors.DtcSelectError]
    while todo:
        cls = todo.pop()
        todo += cls.__subclasses__()
        if cls is not errors.DtcSelectError:
            found.add(cls.exit_code)
    return found


def test_the_user_guides_exit_status_table_lists_exactly_the_statuses_the_command_gives():
    # 0 done, 2 argparse's usage mistakes, 70 a bug, 130 Ctrl-C, 141 standard output closed early.
    given = _raised_statuses() | {0, 2, 70, 130, cli.STDOUT_CLOSED}
    assert set(_documented_statuses()) == given


def test_the_commands_docstring_lists_the_same_statuses_as_the_user_guide():
    listed = {int(n) for n in re.findall(r"^ {2}(\d+) ", cli.__doc__, flags=re.MULTILINE)}
    assert listed == set(_documented_statuses())


def test_each_error_kind_is_documented_under_its_own_status():
    table = _documented_statuses()
    assert "call-file" in table[errors.CallFileError.exit_code]
    assert "input file" in table[errors.InputFileError.exit_code]
    assert "reference tables" in table[errors.ReferenceDataError.exit_code]
    assert "outputs could not be written" in table[errors.OutputError.exit_code]
    assert "--out" in table[errors.OutFolderInTheWay.exit_code]


def test_the_limits_page_names_the_statuses_its_errors_carry():
    text = (ROOT / "docs" / "limits.md").read_text(encoding="utf-8")
    sections = re.findall(r"^## .*\(exit status (\d+)\)$", text, flags=re.MULTILINE)
    assert [int(s) for s in sections][:2] == [errors.CallFileError.exit_code, errors.InputFileError.exit_code]
