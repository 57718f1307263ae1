"""Every error dtc-select raises on purpose.

Only the command line (cli.py) turns these into one-line messages and exit codes; the core raises
them with enough context (file, key, row) for that line to be useful on its own.
"""

from __future__ import annotations

from pathlib import Path


class DtcSelectError(Exception):
    """Base class: a problem a user can fix, described in one line."""

    exit_code = 1


class CallFileError(DtcSelectError):
    """The call file is missing, is not valid YAML, or breaks the call-file model.

    It holds every problem found (`problems`: (key path, problem) pairs), one line each,
    `file: key.path: problem`, so a committee fixes them all in one pass; `key` and `problem`
    are the first one's."""

    exit_code = 2

    def __init__(self, path: str | Path, key: str, problem: str, more: tuple[tuple[str, str], ...] = ()):
        self.path, self.key, self.problem = str(path), key, problem
        self.problems = ((key, problem), *more)
        super().__init__("\n".join(f"{self.path}: {k}: {p}" if k else f"{self.path}: {p}" for k, p in self.problems))

    @classmethod
    def every(cls, path: str | Path, problems: list[tuple[str, str]]) -> CallFileError:
        """One error holding every (key path, problem) of `problems` (at least one), in order."""
        (key, problem), *more = problems
        return cls(path, key, problem, tuple(more))


class InputFileError(DtcSelectError):
    """An input file (applications, scores) cannot be used at all: nothing can be taken in."""

    exit_code = 3

    def __init__(self, path: str | Path, problem: str):
        self.path, self.problem = str(path), problem
        super().__init__(f"{self.path}: {problem}")


class ReferenceDataError(DtcSelectError):
    """The shipped reference tables are inconsistent: a packaging bug, not a user error."""

    exit_code = 4


class UsageError(DtcSelectError):
    """An option given wrongly where argparse does not check it (a flow's parameters, e.g. an
    unknown limit name): the exit status of a usage mistake on the command line."""

    exit_code = 2


class OutputError(DtcSelectError):
    """The outputs could not be written; nothing was left half-written."""

    exit_code = 5


class ProgrammeFileError(CallFileError):
    """A monitoring programme file breaks its model: every problem found, one line each
    (`file: key.path: problem`), so the committee fixes them all in one go."""

    def __init__(self, path: str | Path, problems: list[tuple[str, str]]):
        super().__init__(path, *problems[0])
        self.problems = list(problems)
        self.args = ("\n".join(f"{self.path}: {key}: {problem}" if key else f"{self.path}: {problem}"
                               for key, problem in self.problems),)


class OutFolderInTheWay(OutputError):
    """The output folder holds what a run did not write (or is the current folder, or holds an
    input): refused before any work, nothing written or removed (runs/out_folder.py)."""

    def __init__(self, path: str | Path, problem: str):
        self.path, self.problem = str(path), problem
        super().__init__(f"{self.path}: {problem}")


def without_traceback(record) -> bool:
    """A logging filter: a record carrying one of these errors keeps its one-line message but loses
    the traceback. They are the user's to fix, not bugs, and a log (the Prefect flow's, whose engine
    logs every failed run with its traceback) says them in one line as the command line does."""
    error = record.exc_info[1] if record.exc_info else None
    if isinstance(error, DtcSelectError):
        record.exc_info, record.exc_text = None, None
    return True
